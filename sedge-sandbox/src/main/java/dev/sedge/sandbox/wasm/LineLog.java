package dev.sedge.sandbox.wasm;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A WASI output stream (stdout or stderr) turned into log lines: each line the guest writes becomes one
 * record, prefixed with the stream's name, on the logger of the invocation in progress. A line longer
 * than {@link #MAX_LINE} bytes is cut there. Used by one guest, so by one thread at a time.
 */
final class LineLog extends OutputStream {

    static final int MAX_LINE = 8192;

    private final String prefix;
    private final System.Logger.Level level;
    private final Supplier<System.Logger> logger;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineLog(String stream, System.Logger.Level level, Supplier<System.Logger> logger) {
        this.prefix = stream + ": ";
        this.level = level;
        this.logger = logger;
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            emit();
            return;
        }
        line.write(b);
        if (line.size() >= MAX_LINE) {
            emit();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    /** Logs what is left of an unterminated line, at the end of an invocation. */
    @Override
    public void flush() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        logger.get().log(level, prefix + text);
    }
}
