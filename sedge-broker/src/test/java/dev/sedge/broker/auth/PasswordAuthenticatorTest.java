package dev.sedge.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.broker.auth.AuthResult.RefusalReason;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class PasswordAuthenticatorTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final UsersFile USERS;

    static {
        try {
            USERS = UsersFile.parse(
                    Path.of("users"),
                    List.of(
                            "alice:"
                                    + PasswordHash.create(utf8("alice-pw"), 10_000, RANDOM)
                                            .encoded(),
                            "bob:"
                                    + PasswordHash.create(utf8("bob-pw"), 10_000, RANDOM)
                                            .encoded()));
        } catch (SecurityFileException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String outcome(AuthResult result) {
        return switch (result) {
            case AuthResult.Allowed a -> a.anonymous() ? "anonymous" : "user " + a.user();
            case AuthResult.Refused r -> r.reason().name();
        };
    }

    @ParameterizedTest(name = "users={0} anonymous={1} certId={2}: user={3} pw={4} cn={5} -> {6}")
    @CsvSource(
            nullValues = "null",
            value = {
                // users file, allowAnonymous, certificate identity, user name, password, certificate CN -> outcome
                "true,  false, true,  alice, alice-pw, null,      user alice",
                "true,  false, true,  alice, bob-pw,   null,      BAD_USER_NAME_OR_PASSWORD",
                "true,  false, true,  carol, alice-pw, null,      BAD_USER_NAME_OR_PASSWORD",
                "true,  false, true,  alice, null,     null,      BAD_USER_NAME_OR_PASSWORD",
                "true,  false, true,  null,  alice-pw, null,      BAD_USER_NAME_OR_PASSWORD",
                "true,  false, true,  null,  null,     null,      NOT_AUTHORIZED",
                "true,  true,  true,  null,  null,     null,      anonymous",
                "true,  true,  true,  alice, wrong,    null,      BAD_USER_NAME_OR_PASSWORD",
                // a verified certificate names the user; the CONNECT's credentials are not looked at
                "true,  false, true,  null,  null,     device-42, user device-42",
                "true,  false, true,  alice, wrong,    device-42, user device-42",
                // ... unless certificate identity is off
                "true,  false, false, null,  null,     device-42, NOT_AUTHORIZED",
                "true,  false, false, alice, alice-pw, device-42, user alice",
                // no users file: nothing to check a name against, so a claimed name is not trusted
                "false, true,  true,  null,  null,     null,      anonymous",
                "false, true,  true,  alice, anything, null,      anonymous",
                "false, true,  true,  null,  null,     device-42, user device-42",
                "false, false, true,  null,  null,     device-42, user device-42",
                "false, false, true,  alice, anything, null,      NOT_AUTHORIZED",
            })
    void decides(
            boolean usersFile,
            boolean allowAnonymous,
            boolean certificateIdentity,
            String user,
            String password,
            String cn,
            String expected) {
        PasswordAuthenticator auth =
                new PasswordAuthenticator(usersFile ? USERS : null, allowAnonymous, certificateIdentity, RANDOM);
        assertThat(outcome(auth.authenticate("client-1", user, utf8(password), cn)))
                .isEqualTo(expected);
    }

    @Test
    void aRememberedPasswordStillRefusesAnotherPasswordAndAnotherUser() {
        PasswordAuthenticator auth = new PasswordAuthenticator(USERS, false, true, RANDOM);
        for (int i = 0; i < 3; i++) {
            assertThat(outcome(auth.authenticate("c", "alice", utf8("alice-pw"), null)))
                    .isEqualTo("user alice");
        }
        assertThat(outcome(auth.authenticate("c", "alice", utf8("alice-pw2"), null)))
                .isEqualTo("BAD_USER_NAME_OR_PASSWORD");
        assertThat(outcome(auth.authenticate("c", "bob", utf8("alice-pw"), null)))
                .isEqualTo("BAD_USER_NAME_OR_PASSWORD");
        assertThat(outcome(auth.authenticate("c", "alice", utf8("alice-pw"), null)))
                .isEqualTo("user alice");
    }

    @Test
    void refusalsMapToTheConnackCodeOfEachProtocolVersion() {
        assertThat(RefusalReason.BAD_USER_NAME_OR_PASSWORD.connectReturnCode(4).byteValue())
                .isEqualTo((byte) 0x04);
        assertThat(RefusalReason.NOT_AUTHORIZED.connectReturnCode(4).byteValue())
                .isEqualTo((byte) 0x05);
        assertThat(RefusalReason.BAD_USER_NAME_OR_PASSWORD.connectReturnCode(5))
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD);
        assertThat(RefusalReason.NOT_AUTHORIZED.connectReturnCode(5).byteValue())
                .isEqualTo((byte) 0x87);
    }
}
