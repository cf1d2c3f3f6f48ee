package dev.sedge.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class PasswordHashTest {

    private static final int FAST = PasswordHash.ITERATIONS_MIN;
    private final SecureRandom random = new SecureRandom();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aStoredPasswordMatchesItselfAfterEncodingAndParsing() {
        PasswordHash created = PasswordHash.create(utf8("correct horse"), FAST, random);
        String encoded = created.encoded();
        assertThat(encoded).matches("pbkdf2-sha256\\$10000\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}");

        PasswordHash parsed = PasswordHash.parse(encoded);
        assertThat(parsed.matches(utf8("correct horse"))).isTrue();
        assertThat(parsed.encoded()).isEqualTo(encoded);
    }

    @Test
    void aWrongPasswordIsRefused() {
        PasswordHash hash = PasswordHash.create(utf8("correct horse"), FAST, random);
        assertThat(hash.matches(utf8("correct hors"))).isFalse();
        assertThat(hash.matches(utf8("correct horse "))).isFalse();
        assertThat(hash.matches(utf8("Correct horse"))).isFalse();
        assertThat(hash.matches(new byte[0])).isFalse();
    }

    @Test
    void theSaltIsRandomSoEqualPasswordsHashDifferently() {
        assertThat(PasswordHash.create(utf8("same"), FAST, random).encoded())
                .isNotEqualTo(PasswordHash.create(utf8("same"), FAST, random).encoded());
    }

    @Test
    void binaryPasswordsWork() {
        byte[] binary = {(byte) 0xFF, 0x00, (byte) 0xC3, 0x28}; // not UTF-8
        PasswordHash hash = PasswordHash.create(binary, FAST, random);
        assertThat(hash.matches(binary)).isTrue();
        assertThat(hash.matches(new byte[] {(byte) 0xFF, 0x00, (byte) 0xC3})).isFalse();
    }

    @Test
    void anEmptyPasswordCannotBeStored() {
        assertThatThrownBy(() -> PasswordHash.create(new byte[0], FAST, random))
                .hasMessage("the password must not be empty");
    }

    @ParameterizedTest
    @CsvSource({
        "password, salt, 1, 32",
        "password, salt, 4096, 20",
        "pässwörd, NaCl, 2, 64",
        "x, 0123456789abcdef, 3, 80"
    })
    void derivesTheSameBytesAsTheJdksPbkdf2ForTextPasswords(String password, String salt, int iterations, int length)
            throws Exception {
        byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), utf8(salt), iterations, length * 8))
                .getEncoded();
        assertThat(Pbkdf2.derive(utf8(password), utf8(salt), iterations, length))
                .isEqualTo(expected);
    }

    @Test
    void derivesRfc7914sTestVector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1, dkLen = 64.
        assertThat(HexFormat.of().formatHex(Pbkdf2.derive(utf8("passwd"), utf8("salt"), 1, 64)))
                .isEqualTo("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                        + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "secret                                       | not a pbkdf2-sha256 hash (expected pbkdf2-sha256$ITERATIONS$SALT$HASH; create entries with sedge passwd)",
                "bcrypt$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA== | not a pbkdf2-sha256 hash \"bcrypt\" (expected pbkdf2-sha256$ITERATIONS$SALT$HASH; create entries with sedge passwd)",
                "pbkdf2-sha256$many$AAAAAAAAAAA=$AAAA         | iterations \"many\" is not a number",
                "pbkdf2-sha256$1000$AAAAAAAAAAA=$AAAA         | iterations 1000 out of range (10000..100000000)",
                "pbkdf2-sha256$10000$not*base64$AAAA          | salt is not Base64",
                "pbkdf2-sha256$10000$AAAA$AAAA                | salt is 3 bytes long (8..64 allowed)",
                "pbkdf2-sha256$10000$AAAAAAAAAAA=$AAAA        | hash is 3 bytes long (16..64 allowed)",
            })
    void badEncodingsAreRefusedWithoutQuotingSecrets(String encoded, String reason) {
        assertThatThrownBy(() -> PasswordHash.parse(encoded))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(reason);
    }

    @Test
    void toStringHidesTheHash() {
        assertThat(PasswordHash.create(utf8("pw"), FAST, random).toString()).isEqualTo("pbkdf2-sha256$10000$...");
    }
}
