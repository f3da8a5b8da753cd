package net.braid.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.braid.forward.ForwardUrl.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForwardUrlTest {

    @Test
    void parsesEachScheme() {
        assertThat(ForwardUrl.parse("tcp://127.0.0.1:8080")).isEqualTo(new ForwardUrl(Scheme.TCP, "127.0.0.1", 8080, "/"));
        assertThat(ForwardUrl.parse("quic://peer.example:4433")).isEqualTo(new ForwardUrl(Scheme.QUIC, "peer.example", 4433, "/"));
        assertThat(ForwardUrl.parse("ws://h:80/tunnel")).isEqualTo(new ForwardUrl(Scheme.WS, "h", 80, "/tunnel"));
        assertThat(ForwardUrl.parse("WSS://[2001:db8::1]:443")).isEqualTo(new ForwardUrl(Scheme.WSS, "2001:db8::1", 443, "/"));
    }

    @Test
    void printsBackTheSameUrl() {
        for (String url : new String[] {"tcp://127.0.0.1:8080", "wss://[2001:db8::1]:443/t", "quic://h:1"}) {
            assertThat(ForwardUrl.parse(url).toString()).isEqualTo(url);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1:80|no scheme",
            "http://h:80|unknown scheme 'http'",
            "tcp://h|no port",
            "tcp://:80|no host",
            "tcp://h:80/x|takes no path",
            "ws://user@h:80|user info",
            "tcp://h:99999|port out of range",
            "tcp ://h:1|not a URL"})
    void saysWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> ForwardUrl.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message).hasMessageContaining("expected tcp://HOST:PORT");
    }

    @Test
    void h3NamesProxyAndTarget() {
        ForwardUrl url = ForwardUrl.parse("h3://proxy.example:443/198.18.1.2:5201");
        assertThat(url).isEqualTo(new ForwardUrl(Scheme.H3, "proxy.example", 443, "/198.18.1.2:5201"));
        assertThat(url.connectAuthority()).isEqualTo("198.18.1.2:5201");
        ForwardUrl v6 = ForwardUrl.parse("H3://[2001:db8::1]:443/[2001:DB8::2]:22");
        assertThat(v6.host()).isEqualTo("2001:db8::1");
        assertThat(v6.connectAuthority()).isEqualTo("[2001:db8::2]:22");
        assertThat(v6.toString()).isEqualTo("h3://[2001:db8::1]:443/[2001:db8::2]:22");
        assertThat(ForwardUrl.parse("h3://p:1/target.example:80").connectAuthority()).isEqualTo("target.example:80");
        assertThat(Scheme.H3.tls()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "h3://p:443|needs the target after the proxy",
            "h3://p:443/|needs the target after the proxy",
            "h3://p/t:1|no port",
            "h3://p:443/t|expected HOST:PORT",
            "h3://p:443/t:0|port outside 1..65535",
            "h3://p:443/t:http|port must be a number",
            "h3://p:443/2001:db8::2:22|needs brackets"})
    void h3SaysWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> ForwardUrl.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message).hasMessageContaining("h3://PROXY:PORT/TARGETHOST:TARGETPORT");
    }

    @Test
    void tlsSchemes() {
        assertThat(Scheme.QUIC.tls()).isTrue();
        assertThat(Scheme.WSS.tls()).isTrue();
        assertThat(Scheme.WS.tls()).isFalse();
        assertThat(Scheme.TCP.tls()).isFalse();
    }
}
