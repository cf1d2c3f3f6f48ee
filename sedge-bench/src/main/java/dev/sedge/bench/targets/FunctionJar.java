package dev.sedge.bench.targets;

import dev.sedge.api.Function;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Packages a function class of this class path into a jar that a node can deploy: the class and its
 * nest members (nested and anonymous classes), read as resources. The class may use only the Sedge API
 * and the JDK, which is all a jvm function's class loader offers. Stateless.
 */
public final class FunctionJar {

    private FunctionJar() {}

    /** Writes the jar; returns its path. */
    public static Path write(Class<? extends Function> function, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> c : function.getNestMembers()) {
                String entry = c.getName().replace('.', '/') + ".class";
                try (InputStream in = function.getClassLoader().getResourceAsStream(entry)) {
                    if (in == null) {
                        throw new IOException("class file " + entry + " is not on the class path");
                    }
                    out.putNextEntry(new JarEntry(entry));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }
}
