package dev.sedge.node.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1 and localhost, made with the
 * real {@code openssl} for a TLS listener in a test.
 *
 * @param authority the CA certificate (PEM), for the client to trust
 * @param serverCertificate the server's certificate (PEM), signed by the CA
 * @param serverKey the server's private key (PEM)
 */
record TestCertificates(Path authority, Path serverCertificate, Path serverKey) {

    /** Skips the calling test, visibly, when openssl is not installed. */
    static void assumeOpensslInstalled() {
        assumeTrue(Mosquitto.tool("openssl") != null, "openssl not found on PATH: install the Debian package openssl");
    }

    static TestCertificates create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key");
        Path ca = dir.resolve("ca.pem");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.pem");
        Path ext = dir.resolve("server.ext");
        Files.writeString(
                ext,
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        openssl(
                dir,
                List.of(
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=Sedge test CA",
                        "-keyout",
                        caKey.toString(),
                        "-out",
                        ca.toString()));
        openssl(
                dir,
                List.of(
                        "req",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-subj",
                        "/CN=localhost",
                        "-keyout",
                        key.toString(),
                        "-out",
                        csr.toString()));
        openssl(
                dir,
                List.of(
                        "x509",
                        "-req",
                        "-in",
                        csr.toString(),
                        "-CA",
                        ca.toString(),
                        "-CAkey",
                        caKey.toString(),
                        "-CAcreateserial",
                        "-days",
                        "2",
                        "-extfile",
                        ext.toString(),
                        "-out",
                        cert.toString()));
        return new TestCertificates(ca, cert, key);
    }

    private static void openssl(Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Mosquitto.tool("openssl").toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
