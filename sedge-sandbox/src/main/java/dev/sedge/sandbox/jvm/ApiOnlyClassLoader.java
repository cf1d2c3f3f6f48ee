package dev.sedge.sandbox.jvm;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The parent of every function's class loader: the JDK's platform classes and the {@code dev.sedge.api}
 * package, and nothing else of the node, so that a function neither sees nor clashes with the node's
 * own libraries.
 *
 * <p>Thread-safe (parallel capable).
 */
final class ApiOnlyClassLoader extends ClassLoader {

    private static final String API_PACKAGE = "dev.sedge.api.";
    private static final String API_PATH = "dev/sedge/api/";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader api;

    ApiOnlyClassLoader(ClassLoader api) {
        super("sedge-api", ClassLoader.getPlatformClassLoader());
        this.api = api;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE)) {
            return api.loadClass(name);
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        return name.startsWith(API_PATH) ? api.getResource(name) : null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return name.startsWith(API_PATH) ? api.getResources(name) : Collections.emptyEnumeration();
    }
}
