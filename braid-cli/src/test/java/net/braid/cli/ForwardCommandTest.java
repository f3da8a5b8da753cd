package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The argument checks of {@code braid forward}, which must fail before anything binds. */
class ForwardCommandTest {
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = Braid.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpNamesTheSchemes() {
        Run r = run("forward", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--listen=URL", "--to=URL", "quic://HOST:PORT", "--self-signed", "--max-connections");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--listen|localhost:80|braid: forward: --listen 'localhost:80': no scheme",
            "--listen|udp://h:1|braid: forward: --listen 'udp://h:1': unknown scheme 'udp'",
            "--to|tcp://h|braid: forward: --to 'tcp://h': no port"})
    void badUrlNamesOptionAndValue(String option, String value, String message) {
        String[] args = option.equals("--listen")
                ? new String[] {"forward", "--listen", value, "--to", "tcp://127.0.0.1:9"}
                : new String[] {"forward", "--listen", "tcp://127.0.0.1:0", "--to", value};
        Run r = run(args);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(message).contains("expected tcp://HOST:PORT");
    }

    @Test
    void tlsListenerWithoutCertificateIsRefused() {
        Run r = run("forward", "--listen", "quic://127.0.0.1:0", "--to", "tcp://127.0.0.1:9");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--listen quic://127.0.0.1:0 needs --cert and --key, or --self-signed NAME");
    }

    @Test
    void tlsDiallerWithoutTrustIsRefused() {
        Run r = run("forward", "--listen", "tcp://127.0.0.1:0", "--to", "wss://peer:443/t");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--to wss://peer:443/t needs --pin SPKI or --ca FILE");
    }

    @Test
    void malformedPinIsRefused() {
        Run r = run("forward", "--listen", "tcp://127.0.0.1:0", "--to", "quic://peer:4433", "--pin", "abc");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--pin 'abc': expected the base64 SHA-256");
    }

    @Test
    void payloadOutOfRangeIsRefused() {
        Run r = run("forward", "--listen", "tcp://127.0.0.1:0", "--to", "tcp://127.0.0.1:9", "--quic-payload", "1000");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("1200..65527");
    }
}
