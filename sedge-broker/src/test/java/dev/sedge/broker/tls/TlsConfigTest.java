package dev.sedge.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading a TLS listener's files: what is accepted, and one clear line for each thing that is not. */
@Timeout(120)
class TlsConfigTest {

    private static TestPki pki;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.shared();
    }

    @Test
    void buildsAServerContextFromPkcs8PemFiles() throws Exception {
        SslContext ctx = new TlsConfig(pki.serverChainPem, pki.serverKeyPem, pki.caPem, ClientAuthMode.REQUIRED)
                .newServerContext();
        assertThat(ctx.isServer()).isTrue();
    }

    @Test
    void clientAuthenticationNeedsACaFileAndACaFileNeedsClientAuthentication() {
        assertThatThrownBy(() -> new TlsConfig(pki.serverChainPem, pki.serverKeyPem, null, ClientAuthMode.REQUIRED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls.clientAuth: \"required\" needs tls.caFile, the CA that client certificates chain to");
        assertThatThrownBy(() -> new TlsConfig(pki.serverChainPem, pki.serverKeyPem, pki.caPem, ClientAuthMode.NONE))
                .hasMessageStartingWith("tls.caFile is set but tls.clientAuth is \"none\"");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() {
        TlsConfig config = new TlsConfig(pki.serverChainPem, pki.clientKeyPem, null, ClientAuthMode.NONE);
        assertThatThrownBy(config::newServerContext)
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith("tls.keyFile " + pki.clientKeyPem + ": the key does not belong to the first"
                        + " certificate in " + pki.serverChainPem + " (CN=localhost)");
    }

    @Test
    void eachUnusableFileIsNamedWithWhatIsWrong() throws Exception {
        Path missing = tmp.resolve("missing.pem");
        Path encrypted = Files.writeString(
                tmp.resolve("encrypted.pem"), TestPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
        Path garbage = Files.writeString(tmp.resolve("garbage.pem"), TestPki.pem("CERTIFICATE", new byte[] {1, 2, 3}));

        assertThatThrownBy(() -> new TlsConfig(missing, pki.serverKeyPem, null, ClientAuthMode.NONE).newServerContext())
                .hasMessageStartingWith("tls.certFile " + missing + ": cannot read: ");
        assertThatThrownBy(() ->
                        new TlsConfig(pki.serverKeyPem, pki.serverKeyPem, null, ClientAuthMode.NONE).newServerContext())
                .hasMessage("tls.certFile " + pki.serverKeyPem + ": no -----BEGIN CERTIFICATE----- block");
        assertThatThrownBy(() -> new TlsConfig(garbage, pki.serverKeyPem, null, ClientAuthMode.NONE).newServerContext())
                .hasMessageStartingWith("tls.certFile " + garbage + ": not a valid PEM certificate");
        assertThatThrownBy(() -> new TlsConfig(pki.serverChainPem, pki.serverChainPem, null, ClientAuthMode.NONE)
                        .newServerContext())
                .hasMessage("tls.keyFile " + pki.serverChainPem
                        + ": no -----BEGIN PRIVATE KEY----- (PKCS#8), RSA PRIVATE KEY or EC PRIVATE KEY block");
        assertThatThrownBy(() ->
                        new TlsConfig(pki.serverChainPem, encrypted, null, ClientAuthMode.NONE).newServerContext())
                .hasMessageStartingWith("tls.keyFile " + encrypted + ": the key is encrypted;");
        assertThatThrownBy(() -> new TlsConfig(pki.serverChainPem, pki.serverKeyPem, garbage, ClientAuthMode.REQUIRED)
                        .newServerContext())
                .hasMessageStartingWith("tls.caFile " + garbage + ": not a valid PEM certificate");
    }

    @Test
    void acceptsTraditionalRsaAndEcKeysAsOpensslWritesThem() throws Exception {
        assumeTrue(
                openssl("version") == 0,
                "openssl is not installed: traditional (PKCS#1 / SEC 1) PEM keys are not tested");
        Path rsaCert = tmp.resolve("rsa-cert.pem");
        Path rsaKey8 = tmp.resolve("rsa-key8.pem");
        Path rsaKey1 = tmp.resolve("rsa-key1.pem");
        assertThat(openssl(
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-subj",
                        "/CN=localhost",
                        "-days",
                        "1",
                        "-keyout",
                        rsaKey8.toString(),
                        "-out",
                        rsaCert.toString()))
                .isZero();
        assertThat(openssl("rsa", "-in", rsaKey8.toString(), "-traditional", "-out", rsaKey1.toString()))
                .isZero();
        assertThat(Files.readString(rsaKey1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        Path ecKey = tmp.resolve("ec-key.pem");
        Path ecCert = tmp.resolve("ec-cert.pem");
        assertThat(openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", ecKey.toString()))
                .isZero();
        assertThat(openssl(
                        "req",
                        "-x509",
                        "-key",
                        ecKey.toString(),
                        "-subj",
                        "/CN=localhost",
                        "-days",
                        "1",
                        "-out",
                        ecCert.toString()))
                .isZero();
        assertThat(Files.readString(ecKey)).contains("-----BEGIN EC PARAMETERS-----", "-----BEGIN EC PRIVATE KEY-----");

        assertThat(new TlsConfig(rsaCert, rsaKey1, null, ClientAuthMode.NONE)
                        .newServerContext()
                        .isServer())
                .isTrue();
        assertThat(new TlsConfig(ecCert, ecKey, null, ClientAuthMode.NONE)
                        .newServerContext()
                        .isServer())
                .isTrue();
        // And the rewrapping keeps the key: the wrong pairing is still caught.
        assertThatThrownBy(() -> new TlsConfig(ecCert, rsaKey1, null, ClientAuthMode.NONE).newServerContext())
                .hasMessageContaining("the key does not belong");
    }

    private int openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            return -1; // not installed
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("openssl finished: " + out)
                .isTrue();
        return p.exitValue();
    }
}
