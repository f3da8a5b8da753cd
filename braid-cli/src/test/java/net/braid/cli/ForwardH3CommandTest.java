package net.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The argument checks of {@code braid forward} for an h3:// end, which must fail before anything binds. */
class ForwardH3CommandTest {
    @Test
    void helpNamesTheH3End() {
        var r = ForwardCommandTest.run("forward", "--help");
        assertThat(r.out()).contains("h3://PROXY:PORT/TARGETHOST:TARGETPORT");
    }

    @Test
    void h3IsNotAListenEnd() {
        var r = ForwardCommandTest.run("forward", "--listen", "h3://127.0.0.1:443/127.0.0.1:22", "--to", "tcp://127.0.0.1:9");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("braid: forward: --listen h3://127.0.0.1:443/127.0.0.1:22: h3:// is only a --to end;"
                + " braid proxy serves HTTP/3 CONNECT\n");
    }

    @Test
    void h3NeedsTrust() {
        var r = ForwardCommandTest.run("forward", "--listen", "tcp://127.0.0.1:0", "--to", "h3://proxy:443/198.18.1.2:5201");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--to h3://proxy:443/198.18.1.2:5201 needs --pin SPKI or --ca FILE");
    }

    @Test
    void h3WithoutTargetNamesTheForm() {
        var r = ForwardCommandTest.run("forward", "--listen", "tcp://127.0.0.1:0", "--to", "h3://proxy:443");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("braid: forward: --to 'h3://proxy:443': h3:// needs the target after the proxy, as /HOST:PORT");
    }
}
