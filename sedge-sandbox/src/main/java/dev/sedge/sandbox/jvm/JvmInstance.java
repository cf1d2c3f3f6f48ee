package dev.sedge.sandbox.jvm;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Function;
import dev.sedge.api.Result;
import dev.sedge.sandbox.Instance;
import java.io.IOException;
import java.net.URLClassLoader;

/** One handler object in its own class loader. Thread-safe as far as the handler is. */
final class JvmInstance implements Instance {

    private static final System.Logger LOG = System.getLogger("dev.sedge.sandbox");

    private final Function function;
    private final URLClassLoader loader;

    JvmInstance(Function function, URLClassLoader loader) {
        this.function = function;
        this.loader = loader;
    }

    @Override
    public Result invoke(Event event, Context context) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Result result = function.handle(event, context);
            return result == null ? Result.empty() : result;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() {
        try {
            function.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: close() threw {1}", loader.getName(), e.toString());
        }
        try {
            loader.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: cannot close class loader: {1}", loader.getName(), e.toString());
        }
    }
}
