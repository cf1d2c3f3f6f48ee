package dev.sedge.broker.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM files (RFC 7468): X.509 certificates, and unencrypted private keys in PKCS#8
 * ({@code PRIVATE KEY}) or in the traditional OpenSSL forms, PKCS#1 ({@code RSA PRIVATE KEY}) and SEC 1
 * ({@code EC PRIVATE KEY}), which are rewrapped as PKCS#8 for the JDK. Stateless.
 */
final class PemFiles {

    /** rsaEncryption, 1.2.840.113549.1.1.1, as a DER OBJECT IDENTIFIER. */
    private static final byte[] RSA_ENCRYPTION = {
        0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01
    };
    /** DER NULL: the parameters of rsaEncryption. */
    private static final byte[] DER_NULL = {0x05, 0x00};
    /** id-ecPublicKey, 1.2.840.10045.2.1, as a DER OBJECT IDENTIFIER. */
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    /** PKCS#8 version 0, as a DER INTEGER. */
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemFiles() {}

    /** One {@code -----BEGIN LABEL-----} block: its label, decoded body and whether headers said encrypted. */
    record Block(String label, byte[] der, boolean encrypted) {}

    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        String label = null;
        StringBuilder body = new StringBuilder();
        boolean encrypted = false;
        for (String raw : text.lines().toList()) {
            String line = raw.strip();
            if (label == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                    label = line.substring(11, line.length() - 5);
                    body.setLength(0);
                    encrypted = false;
                }
            } else if (line.equals("-----END " + label + "-----")) {
                blocks.add(new Block(label, Base64.getMimeDecoder().decode(body.toString()), encrypted));
                label = null;
            } else if (line.indexOf(':') >= 0) {
                // RFC 1421 headers of traditional encrypted keys: "Proc-Type: 4,ENCRYPTED", "DEK-Info: ...".
                encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
            } else {
                body.append(line);
            }
        }
        return blocks;
    }

    static List<X509Certificate> certificates(Path file, String setting) throws TlsSetupException {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(read(file, setting))) {
                if (b.label().equals("CERTIFICATE")) {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new TlsSetupException(setting + " " + file + ": not a valid PEM certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new TlsSetupException(setting + " " + file + ": no -----BEGIN CERTIFICATE----- block");
        }
        return certs;
    }

    static PrivateKey privateKey(Path file, String setting) throws TlsSetupException {
        List<Block> blocks;
        try {
            blocks = blocks(read(file, setting));
        } catch (IllegalArgumentException e) {
            throw new TlsSetupException(setting + " " + file + ": not valid PEM: " + e.getMessage(), e);
        }
        for (Block b : blocks) {
            if (b.label().equals("ENCRYPTED PRIVATE KEY") || (b.label().endsWith("PRIVATE KEY") && b.encrypted())) {
                throw new TlsSetupException(setting + " " + file
                        + ": the key is encrypted; Sedge reads unencrypted keys (decrypt it with"
                        + " openssl pkcs8 -in KEY -out PLAIN_KEY and keep that file readable by the node only)");
            }
            try {
                switch (b.label()) {
                    case "PRIVATE KEY" -> {
                        return pkcs8(b.der());
                    }
                    case "RSA PRIVATE KEY" -> {
                        return pkcs8(der(0x30, VERSION_0, der(0x30, RSA_ENCRYPTION, DER_NULL), der(0x04, b.der())));
                    }
                    case "EC PRIVATE KEY" -> {
                        byte[] curve = sec1Curve(b.der());
                        return pkcs8(der(0x30, VERSION_0, der(0x30, EC_PUBLIC_KEY, curve), der(0x04, b.der())));
                    }
                    default -> {
                        // not a key: certificates, EC PARAMETERS and the like may share the file
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new TlsSetupException(
                        setting + " " + file + ": " + b.label() + " is malformed: " + e.getMessage());
            }
        }
        throw new TlsSetupException(setting + " " + file
                + ": no -----BEGIN PRIVATE KEY----- (PKCS#8), RSA PRIVATE KEY or EC PRIVATE KEY block");
    }

    private static String read(Path file, String setting) throws TlsSetupException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsSetupException(setting + " " + file + ": cannot read: " + e, e);
        }
    }

    private static PrivateKey pkcs8(byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("not an RSA, EC or EdDSA private key");
    }

    /**
     * The named curve of a SEC 1 key: {@code ECPrivateKey ::= SEQUENCE { version, privateKey OCTET
     * STRING, parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }}.
     */
    private static byte[] sec1Curve(byte[] der) {
        int[] seq = header(der, 0);
        if ((der[0] & 0xFF) != 0x30) {
            throw new IllegalArgumentException("not a DER SEQUENCE");
        }
        for (int pos = seq[0]; pos < seq[1]; ) {
            int[] child = header(der, pos);
            if ((der[pos] & 0xFF) == 0xA0) {
                return Arrays.copyOfRange(der, child[0], child[1]); // the curve's OBJECT IDENTIFIER, whole
            }
            pos = child[1];
        }
        throw new IllegalArgumentException("no named curve in the key (parameters [0] missing)");
    }

    /** The content start and end of the DER element at {@code pos}. */
    private static int[] header(byte[] der, int pos) {
        if (pos + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int first = der[pos + 1] & 0xFF;
        int start = pos + 2;
        long length = first;
        if (first >= 0x80) {
            int n = first & 0x7F;
            if (n == 0 || n > 3 || start + n > der.length) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (der[start + i] & 0xFF);
            }
            start += n;
        }
        if (start + length > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new int[] {start, (int) (start + length)};
    }

    /** A DER element with the given tag whose content is the concatenation of {@code parts}. */
    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int n = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
