package dev.sedge.bench.proc;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM of the harness (a node, a hop of a path, a peer broker): this JVM's
 * {@code java}, the launcher's flags, a class path and a main class.
 */
public final class JavaCommand {

    /**
     * What the node's own launcher allows: native access (Netty's epoll transport, JNA) and {@code
     * sun.misc.Unsafe}'s memory access (Netty, Guava), so that JDK 25 prints no warning about either.
     */
    public static final List<String> LAUNCHER_FLAGS =
            List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

    private JavaCommand() {}

    /**
     * {@code java LAUNCHER_FLAGS jvmArgs -cp classPath mainClass args}. No heap option of its own: the
     * JVM's defaults apply unless {@code jvmArgs} set them.
     */
    public static List<String> of(List<String> jvmArgs, String classPath, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(LAUNCHER_FLAGS);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** A JVM running {@code main} of this JVM's own class path. */
    public static List<String> ofThisClassPath(Class<?> main, String... args) {
        return of(List.of(), thisClassPath(), main.getName(), List.of(args));
    }

    /** This JVM's class path, absolute (a jar's manifest Class-Path is followed by the child too). */
    public static String thisClassPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Path.of(e).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
