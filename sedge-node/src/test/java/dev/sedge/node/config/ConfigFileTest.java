package dev.sedge.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.broker.tls.ClientAuthMode;
import dev.sedge.scaling.policy.PolicyContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigFileTest {

    private static final Path FILE = Path.of("/etc/sedge/sedge.yaml");

    @Test
    void readsEverySectionAndResolvesPathsAgainstTheFilesDirectory() throws Exception {
        NodeConfig c = ConfigFile.parse(FILE, """
                dataDir: data
                mqtt: {bind: 0.0.0.0, port: 1884}
                http:
                  bind: 127.0.0.2
                  port: 8081
                  apiToken: s3cret
                auth:
                  usersFile: users
                  aclFile: /opt/acl
                  certificateIdentity: false
                tls:
                  port: 8884
                  certFile: tls/cert.pem
                  keyFile: tls/key.pem
                  caFile: ../ca.pem
                """);
        assertThat(c.dataDir()).isEqualTo(Path.of("/etc/sedge/data"));
        assertThat(c.bindHost()).isEqualTo("0.0.0.0");
        assertThat(c.mqttPort()).isEqualTo(1884);
        assertThat(c.httpBindHost()).isEqualTo("127.0.0.2");
        assertThat(c.httpPort()).isEqualTo(8081);
        assertThat(c.apiToken()).isEqualTo("s3cret");
        assertThat(c.auth()).isEqualTo(new AuthConfig(Path.of("/etc/sedge/users"), Path.of("/opt/acl"), false, false));
        assertThat(c.tls().port()).isEqualTo(8884);
        assertThat(c.tls().files().certFile()).isEqualTo(Path.of("/etc/sedge/tls/cert.pem"));
        assertThat(c.tls().files().keyFile()).isEqualTo(Path.of("/etc/sedge/tls/key.pem"));
        assertThat(c.tls().files().caFile()).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(c.tls().files().clientAuth()).as("a CA file means required").isEqualTo(ClientAuthMode.REQUIRED);
    }

    @Test
    void anEmptyFileMeansTheDefaults() throws Exception {
        NodeConfig c = ConfigFile.parse(FILE, "# nothing set\n");
        assertThat(c).isEqualTo(NodeConfig.defaults());
        assertThat(c.auth()).isEqualTo(AuthConfig.NONE);
        assertThat(c.tls()).isNull();
    }

    @Test
    void anonymousClientsAreRefusedByDefaultOnlyOnceThereIsAUsersFile() throws Exception {
        assertThat(ConfigFile.parse(FILE, "auth: {aclFile: acl}").auth().allowAnonymous())
                .isTrue();
        assertThat(ConfigFile.parse(FILE, "auth: {usersFile: users}").auth().allowAnonymous())
                .isFalse();
        assertThat(ConfigFile.parse(FILE, "auth: {usersFile: users, allowAnonymous: true}")
                        .auth()
                        .allowAnonymous())
                .isTrue();
    }

    @Test
    void tlsDefaultsToPort8883WithoutClientCertificates() throws Exception {
        TlsListenerConfig tls =
                ConfigFile.parse(FILE, "tls: {certFile: c.pem, keyFile: k.pem}").tls();
        assertThat(tls.port()).isEqualTo(8883);
        assertThat(tls.files().clientAuth()).isEqualTo(ClientAuthMode.NONE);
        assertThat(tls.files().caFile()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            value = {
                // the file (\n for new lines) => the message after "/etc/sedge/sedge.yaml"
                "mqtt: {prot: 1}" + " => :1: unknown field \"mqtt.prot\" (known here: bind, maxQueuedMessages, port)",
                "mqtt:\\n  port: 1\\ntsl: {port: 1}"
                        + " => :3: unknown field \"tsl\" (known here: auth, dataDir, http, mqtt, scale, tls)",
                "mqtt:\\n  port: 0\\n  bnd: 0.0.0.0\\n\\n"
                        + " => :3: unknown field \"mqtt.bnd\" (known here: bind, maxQueuedMessages, port)",
                "http:\\n  port: 80a80\\n" + " => :2: http.port: \"80a80\" is not a whole number",
                "mqtt: {port: 70000}" + " => :1: mqtt.port: 70000 is not a port (0..65535)",
                "http: {port: -1}" + " => :1: http.port: -1 is not a port (0..65535)",
                "tls: {certFile: c, keyFile: k, port: 65536}" + " => :1: tls.port: 65536 is not a port (0..65535)",
                "mqtt: {port: abc}" + " => :1: mqtt.port: \"abc\" is not a whole number",
                "mqtt: {port: 1883.5}" + " => :1: mqtt.port: \"1883.5\" is not a whole number",
                "auth: {allowAnonymous: maybe}" + " => :1: auth.allowAnonymous: \"maybe\" is not true or false",
                "mqtt: [1883]" + " => :1: mqtt: must be a mapping of fields",
                "- a\\n- b" + " => :1: the file: must be a mapping of fields",
                "mqtt: {port: 1}\\nmqtt: {port: 2}" + " => :2: not valid YAML: Duplicate field 'mqtt'",
                "mqtt: {bind: ' '}" + " => :1: mqtt.bind: must not be empty (an address such as 127.0.0.1 or 0.0.0.0)",
                "http: {apiToken: ''}" + " => :1: http.apiToken: must not be empty (leave it out for an open API)",
                "mqtt: {port: 9000}\\nhttp: {port: 9000}"
                        + " => : the MQTT port (--mqtt-port, mqtt.port) and the HTTP port (--http-port, http.port) are both 9000",
                "tls: {certFile: c, keyFile: k, port: 1883}"
                        + " => : tls.port: 1883 is already the MQTT port (--mqtt-port, mqtt.port)",
                "tls: {keyFile: k}"
                        + " => :1: tls.certFile: required with a tls section (PEM: server certificate, then intermediates)",
                "tls: {certFile: c}"
                        + " => :1: tls.keyFile: required with a tls section (PEM: the server's unencrypted private key)",
                "tls: {certFile: c, keyFile: k, clientAuth: always}"
                        + " => :1: tls.clientAuth: \"always\" is not one of none, optional, required",
                "tls: {certFile: c, keyFile: k, clientAuth: required}"
                        + " => :1: tls.clientAuth: \"required\" needs tls.caFile, the CA that client certificates chain to",
                "tls: {certFile: c, keyFile: k, caFile: ca, clientAuth: none}"
                        + " => :1: tls.caFile is set but tls.clientAuth is \"none\": set clientAuth to optional or required, or remove caFile",
                "scale:\\n  min: 1\\n  window: 2s" + " => :3: scale.window: 2s is out of range 6s..1h",
                "scale:\\n  window: soon"
                        + " => :2: scale.window: invalid duration \"soon\" (use a number and a unit ms, s, m or h: 500ms, 5s, 1m30s)",
                "scale: {maxScaleDownRate: 1}" + " => :1: scale.maxScaleDownRate: 1.0 must be more than 1",
                "scale: {min: 4, max: 2}" + " => :1: scale.min: 4 is more than max 2",
                "scale: {maxScaleUpRate: fast}" + " => :1: scale.maxScaleUpRate: \"fast\" is not a number",
                "scale:\\n  window: 60s\\n  prewarm: always"
                        + " => :3: scale.prewarm: unknown \"always\" (known: auto, off, sedge, hybrid-histogram, faascache, icebreaker, hotc, knative, fixed-<minutes>m)",
                "scale: {coldStart: 1h}" + " => :1: scale.coldStart: 1h is out of range 0s..10m",
                "scale: {coldStart: slow}"
                        + " => :1: scale.coldStart: invalid duration \"slow\" (use a number and a unit ms, s, m or h: 500ms, 5s, 1m30s)",
                "scale: {coldStartWorth: 500ms}" + " => :1: scale.coldStartWorth: 500ms is out of range 1s..168h",
                "scale: {coldStartWorth: 200h}" + " => :1: scale.coldStartWorth: 200h is out of range 1s..168h",
                "scale: {instanceMemory: 100k}"
                        + " => :1: scale.instanceMemory: \"100k\" is not a whole number of Mi in 1Mi..1Ti",
                "scale: {instanceMemory: 1Gi, nodeMemory: 512Mi}"
                        + " => :1: scale.nodeMemory: 512Mi is below one instance's scale.instanceMemory 1024Mi",
                "auth: {allowAnonymous: false}"
                        + " => : auth.allowAnonymous: false, but there is no auth.usersFile and no client-certificate identity (tls.clientAuth with auth.certificateIdentity), so no client could connect",
            })
    void eachBadValueIsRefusedWithFileFieldAndAllowedRange(String yaml, String message) {
        assertThatThrownBy(() -> ConfigFile.parse(FILE, yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(FILE + message);
    }

    @Test
    void theScaleSectionSetsEveryFunctionsDefaults() throws Exception {
        NodeConfig c = ConfigFile.parse(FILE, """
                scale:
                  initial: 0
                  window: 30s
                  retention: 10s
                  scaleToZeroGracePeriod: 0s
                  maxScaleUpRate: 4
                  target: 2.5
                """);
        assertThat(c.scale().initial()).isZero();
        assertThat(c.scale().window()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(c.scale().retention()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(c.scale().scaleToZeroGracePeriod()).isZero();
        assertThat(c.scale().maxScaleUpRate()).isEqualTo(4.0);
        assertThat(c.scale().target()).isEqualTo(2.5);
        assertThat(c.scale().max()).isEqualTo(dev.sedge.scaling.ScaleSettings.MAX_DEFAULT);
    }

    @Test
    void theScaleSectionSetsTheKeepAlivePolicyAndWhatPoliciesAreToldOfTheNode() throws Exception {
        NodeConfig c = ConfigFile.parse(FILE, """
                scale:
                  prewarm: fixed-10m
                  coldStart: 2s
                  instanceMemory: 64Mi
                  nodeMemory: 1Gi
                  coldStartWorth: 12s
                """);
        assertThat(c.keepAlive().prewarm()).isEqualTo("fixed-10m");
        assertThat(c.keepAlive().context()).isEqualTo(new PolicyContext(2000, 64, 1024, 12_000));
        assertThat(ConfigFile.parse(FILE, "scale: {window: 30s}").keepAlive()).isEqualTo(KeepAliveConfig.DEFAULTS);
        assertThat(ConfigFile.parse(FILE, "scale: {prewarm: off}").keepAlive().prewarm())
                .isEqualTo("off");
        assertThat(KeepAliveConfig.DEFAULTS.prewarm()).isEqualTo("auto");
        assertThat(KeepAliveConfig.DEFAULTS.context()).isEqualTo(PolicyContext.DEFAULTS);
    }

    @Test
    void anonymousMayBeRefusedWhenClientCertificatesNameTheUsers() throws Exception {
        NodeConfig c =
                ConfigFile.parse(FILE, "auth: {allowAnonymous: false}\ntls: {certFile: c, keyFile: k, caFile: ca}");
        assertThat(c.auth().allowAnonymous()).isFalse();
        assertThat(c.tls().files().clientAuth()).isEqualTo(ClientAuthMode.REQUIRED);
    }
}
