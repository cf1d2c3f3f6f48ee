package dev.sedge.broker.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A throw-away PKI made with the JDK's keytool at test time: a CA, a server certificate for 127.0.0.1
 * signed by it, a client certificate (CN {@value #CLIENT_CN}) signed by it, and a self-signed client
 * certificate that claims the same CN. Made once per test JVM, deleted when it exits.
 */
final class TestPki {

    static final String CLIENT_CN = "device-42";
    private static final String PASS = "changeit";
    private static TestPki shared;

    final Path dir;
    final Path caPem;
    final Path serverChainPem;
    final Path serverKeyPem;
    final Path clientChainPem;
    final Path clientKeyPem;
    final X509Certificate ca;
    final Identity client;
    final Identity selfSigned;

    /** A private key with its certificate chain, leaf first. */
    record Identity(PrivateKey key, List<X509Certificate> chain) {}

    static synchronized TestPki shared() throws IOException, InterruptedException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("sedge-test-pki");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            shared = new TestPki(dir);
        }
        return shared;
    }

    private TestPki(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Path caStore = dir.resolve("ca.p12");
        keytool(caStore, "-genkeypair", "-alias", "ca", "-dname", "CN=Sedge Test CA", "-ext", "bc:c");
        caPem = dir.resolve("ca.pem");
        keytool(caStore, "-exportcert", "-rfc", "-alias", "ca", "-file", caPem.toString());
        ca = readCertificates(caPem).getFirst();

        Identity server =
                issue("server", "localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth");
        serverChainPem = writeChain("server-chain.pem", server.chain());
        serverKeyPem = writeKey("server-key.pem", server.key());

        client = issue("client", CLIENT_CN, "-ext", "eku=clientAuth");
        clientChainPem = writeChain("client-chain.pem", client.chain());
        clientKeyPem = writeKey("client-key.pem", client.key());

        Path rogueStore = dir.resolve("rogue.p12");
        keytool(rogueStore, "-genkeypair", "-alias", "rogue", "-dname", "CN=" + CLIENT_CN);
        selfSigned = load(rogueStore, "rogue", null);
    }

    /** A key pair in its own store, certified by the CA. */
    private Identity issue(String name, String cn, String... extensions) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path pem = dir.resolve(name + ".pem");
        keytool(store, "-genkeypair", "-alias", name, "-dname", "CN=" + cn);
        keytool(store, "-certreq", "-alias", name, "-file", csr.toString());
        List<String> args = new ArrayList<>(
                List.of("-gencert", "-alias", "ca", "-infile", csr.toString(), "-outfile", pem.toString(), "-rfc"));
        args.addAll(List.of(extensions));
        keytool(dir.resolve("ca.p12"), args.toArray(String[]::new));
        return load(store, name, pem);
    }

    private Identity load(Path store, String alias, Path signedPem) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASS.toCharArray());
            PrivateKey key = (PrivateKey) ks.getKey(alias, PASS.toCharArray());
            List<X509Certificate> chain = new ArrayList<>();
            if (signedPem == null) {
                chain.add((X509Certificate) ks.getCertificate(alias));
            } else {
                chain.addAll(readCertificates(signedPem));
                chain.add(ca);
            }
            return new Identity(key, chain);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static void keytool(Path store, String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        } else if (args[0].equals("-gencert")) {
            command.addAll(List.of("-validity", "2"));
        }
        command.addAll(List.of(
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASS,
                "-keypass",
                PASS,
                "-noprompt"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }

    static List<X509Certificate> readCertificates(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
            return certs;
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(e);
        }
    }

    private Path writeChain(String name, List<X509Certificate> chain) throws IOException {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate c : chain) {
            try {
                pem.append(pem("CERTIFICATE", c.getEncoded()));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IOException(e);
            }
        }
        return Files.writeString(dir.resolve(name), pem);
    }

    Path writeKey(String name, PrivateKey key) throws IOException {
        return Files.writeString(dir.resolve(name), pem("PRIVATE KEY", key.getEncoded()));
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /**
     * A client-side context that trusts the CA and, when {@code identity} is not null, presents it even
     * when the server's list of acceptable CAs does not name its issuer (the JDK would otherwise quietly
     * send no certificate at all, and a test of a bad certificate would test a missing one).
     */
    SSLContext clientContext(Identity identity) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (identity != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(
                    "me", identity.key(), PASS.toCharArray(), identity.chain().toArray(new Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASS.toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(
                kmf == null
                        ? null
                        : new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) kmf.getKeyManagers()[0])},
                tmf.getTrustManagers(),
                null);
        return ctx;
    }

    /** Offers its one identity whatever the server asks for. */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;

        AlwaysPresent(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "me";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "me";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"me"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
