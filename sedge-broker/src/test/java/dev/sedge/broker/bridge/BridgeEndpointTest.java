package dev.sedge.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BridgeEndpointTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "mqtt://broker.example           | broker.example | 1883  | false | mqtt://broker.example:1883",
                "mqtts://broker.example          | broker.example | 8883  | true  | mqtts://broker.example:8883",
                "mqtt://127.0.0.1:18830          | 127.0.0.1      | 18830 | false | mqtt://127.0.0.1:18830",
                "MQTTS://Broker:443/             | Broker         | 443   | true  | mqtts://Broker:443",
                "mqtt://[::1]:1884               | ::1            | 1884  | false | mqtt://[::1]:1884",
                "mqtt://emqx_1                   | emqx_1         | 1883  | false | mqtt://emqx_1:1883",
            })
    void readsHostPortAndTls(String url, String host, int port, boolean tls, String canonical) {
        BridgeEndpoint e = BridgeEndpoint.parse(url);
        assertThat(e).isEqualTo(new BridgeEndpoint(host, port, tls));
        assertThat(e.url()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "tcp://broker:1883     | \"tcp://broker:1883\": the scheme must be mqtt or mqtts",
                "broker:1883           | \"broker:1883\": the scheme must be mqtt or mqtts",
                "127.0.0.1:1883        | \"127.0.0.1:1883\": not a URL: Illegal character in scheme name",
                "mqtt:broker           | \"mqtt:broker\": no host",
                "mqtt://:1883          | \"mqtt://:1883\": no host",
                "mqtt://broker:99999   | \"mqtt://broker:99999\": port 99999 is not 1..65535",
                "mqtt://broker:0       | \"mqtt://broker:0\": port 0 is not 1..65535",
                "mqtt://broker:mqtt    | \"mqtt://broker:mqtt\": invalid port \"mqtt\"",
                "mqtt://broker:        | \"mqtt://broker:\": invalid port \"\"",
                "mqtt://broker/topic   | \"mqtt://broker/topic\": a path is not allowed",
                "mqtt://broker?x=1     | \"mqtt://broker?x=1\": a query or fragment is not allowed",
                "mqtt://bro ker        | \"mqtt://bro ker\": not a URL: Illegal character in authority",
                "mqtt://u:secret@b     | \"mqtt://***@b\": a user name or password does not belong in the URL",
            })
    void refusesWithTheUrlAndTheReason(String url, String message) {
        assertThatThrownBy(() -> BridgeEndpoint.parse(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .hasMessageEndingWith("(use mqtt://HOST[:PORT] or mqtts://HOST[:PORT])")
                .hasMessageNotContaining("secret");
    }

    @ParameterizedTest
    @CsvSource(value = {"''", "'  '"})
    void refusesAnEmptyUrl(String url) {
        assertThatThrownBy(() -> BridgeEndpoint.parse(url))
                .hasMessage("must not be empty (use mqtt://HOST[:PORT] or mqtts://HOST[:PORT])");
    }
}
