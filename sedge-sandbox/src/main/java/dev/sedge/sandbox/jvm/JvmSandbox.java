package dev.sedge.sandbox.jvm;

import dev.sedge.api.Function;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Phase;
import dev.sedge.sandbox.Sandbox;
import dev.sedge.sandbox.SandboxException;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.zip.ZipFile;

/**
 * The {@code jvm} runtime: a function is a jar and a handler class implementing {@link Function}, run
 * inside the node's JVM in a class loader of its own whose parent offers only the Sedge API.
 *
 * <p>One instance is one class loader and one handler object; the handler serves up to the
 * descriptor's {@code concurrency} events at once, on the dispatcher's threads, so with a concurrency
 * above 1 it must be thread-safe. Cold-start phases: fetch is opening the jar, compile is loading and
 * linking the handler class, instantiate is its constructor; there is no separate initialise. Thread-safe.
 */
public final class JvmSandbox implements Sandbox {

    public static final String RUNTIME = "jvm";

    private final ClassLoader apiOnly = new ApiOnlyClassLoader(Function.class.getClassLoader());

    @Override
    public String runtime() {
        return RUNTIME;
    }

    @Override
    public void check(FunctionSpec spec) throws SandboxException {
        try (URLClassLoader loader = loaderFor(spec)) {
            constructor(spec, loader);
        } catch (IOException e) {
            throw new SandboxException("spec.artifact: cannot close " + spec.artifact() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Instance start(FunctionSpec spec, ColdStart timing) throws SandboxException {
        URLClassLoader loader = loaderFor(spec);
        timing.mark(Phase.FETCH);
        try {
            Constructor<? extends Function> ctor = constructor(spec, loader);
            timing.mark(Phase.COMPILE);
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                JvmInstance instance = new JvmInstance(ctor.newInstance(), loader);
                timing.mark(Phase.INSTANTIATE);
                return instance;
            } finally {
                thread.setContextClassLoader(previous);
            }
        } catch (InvocationTargetException e) {
            closeQuietly(loader);
            Throwable cause = e.getCause();
            throw new SandboxException("spec.handler: constructor of " + spec.handler() + " threw " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException | SandboxException e) {
            closeQuietly(loader);
            if (e instanceof SandboxException se) {
                throw se;
            }
            throw new SandboxException("spec.handler: cannot create " + spec.handler() + ": " + e, e);
        }
    }

    private URLClassLoader loaderFor(FunctionSpec spec) throws SandboxException {
        if (!Files.isRegularFile(spec.artifact())) {
            throw new SandboxException("spec.artifact: no such file: " + spec.artifact());
        }
        try (ZipFile zip = new ZipFile(spec.artifact().toFile())) {
            if (zip.size() == 0) {
                throw new SandboxException("spec.artifact: jar is empty: " + spec.artifact());
            }
        } catch (IOException e) {
            throw new SandboxException(
                    "spec.artifact: not a jar file: " + spec.artifact() + " (" + e.getMessage() + ")", e);
        }
        try {
            URL url = spec.artifact().toUri().toURL();
            return new URLClassLoader("function:" + spec.name(), new URL[] {url}, apiOnly);
        } catch (MalformedURLException e) {
            throw new SandboxException("spec.artifact: bad path " + spec.artifact(), e);
        }
    }

    private static Constructor<? extends Function> constructor(FunctionSpec spec, ClassLoader loader)
            throws SandboxException {
        String handler = spec.handler();
        if (handler == null || handler.isBlank()) {
            throw new SandboxException(
                    "spec.handler: required for runtime jvm (a class implementing dev.sedge.api.Function)");
        }
        Class<?> type;
        try {
            type = Class.forName(handler, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SandboxException(
                    "spec.handler: class " + handler + " not found in "
                            + spec.artifact().getFileName(),
                    e);
        }
        if (!Function.class.isAssignableFrom(type)) {
            throw new SandboxException("spec.handler: " + handler + " does not implement dev.sedge.api.Function");
        }
        if (Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
            throw new SandboxException("spec.handler: " + handler + " must be a public concrete class");
        }
        try {
            return type.asSubclass(Function.class).getConstructor();
        } catch (NoSuchMethodException e) {
            throw new SandboxException("spec.handler: " + handler + " has no public no-argument constructor", e);
        }
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // Nothing more to release: the loader was never handed out.
        }
    }
}
