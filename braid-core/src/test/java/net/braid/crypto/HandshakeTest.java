package net.braid.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private static final int BOTH = CipherSuite.CHACHA20_POLY1305.bit() | CipherSuite.AES_256_GCM.bit();
    private final KeyPair alice = KeyPair.generate();
    private final KeyPair bob = KeyPair.generate();

    @Test
    void completesAndAgreesOnCrossedKeys() {
        var init = Handshake.initiate(alice, bob.publicKey(), 0x11223344, Instant.now(), BOTH);
        assertThat(init.message()).hasSize(Handshake.INITIATION_BYTES);
        var received = Handshake.consumeInitiation(bob, init.message());
        assertThat(received).isNotNull();
        assertThat(received.remoteStatic()).isEqualTo(alice.publicKey());
        assertThat(received.senderIndex()).isEqualTo(0x11223344);

        var resp = Handshake.respond(received, 0x55667788, CipherSuite.AES_256_GCM);
        assertThat(resp.message()).hasSize(Handshake.RESPONSE_BYTES);
        assertThat(resp.message().length).isLessThan(init.message().length); // never amplifies
        var done = Handshake.consumeResponse(init.state(), alice, resp.message());
        assertThat(done).isNotNull();
        assertThat(done.senderIndex()).isEqualTo(0x55667788);
        assertThat(done.keys().sendKey()).isEqualTo(resp.keys().receiveKey());
        assertThat(done.keys().receiveKey()).isEqualTo(resp.keys().sendKey());
        assertThat(done.keys().sendKey()).isNotEqualTo(done.keys().receiveKey());
    }

    @Test
    void initiationForAnotherResponderIsRejectedByMac() {
        KeyPair carol = KeyPair.generate();
        var init = Handshake.initiate(alice, carol.publicKey(), 1, Instant.now(), BOTH);
        assertThat(Handshake.consumeInitiation(bob, init.message())).isNull();
    }

    @Test
    void everyFlippedBitIsRejected() {
        var init = Handshake.initiate(alice, bob.publicKey(), 1, Instant.now(), BOTH);
        for (int i = 8; i < init.message().length; i += 7) {
            byte[] m = init.message().clone();
            m[i] ^= 0x01;
            assertThat(Handshake.consumeInitiation(bob, m)).as("bit flip at byte %d", i).isNull();
        }
        var resp = Handshake.respond(Handshake.consumeInitiation(bob, init.message()), 2, CipherSuite.AES_256_GCM);
        for (int i = 12; i < resp.message().length; i += 5) {
            byte[] m = resp.message().clone();
            m[i] ^= 0x40;
            assertThat(Handshake.consumeResponse(init.state(), alice, m)).as("bit flip at byte %d", i).isNull();
        }
    }

    @Test
    void responseToAnotherInitiationIsRejected() {
        var first = Handshake.initiate(alice, bob.publicKey(), 1, Instant.now(), BOTH);
        var second = Handshake.initiate(alice, bob.publicKey(), 2, Instant.now(), BOTH);
        var resp = Handshake.respond(Handshake.consumeInitiation(bob, first.message()), 9, CipherSuite.AES_256_GCM);
        assertThat(Handshake.consumeResponse(second.state(), alice, resp.message())).isNull();
    }

    @Test
    void truncatedAndOversizedMessagesAreRejected() {
        var init = Handshake.initiate(alice, bob.publicKey(), 1, Instant.now(), BOTH);
        assertThat(Handshake.consumeInitiation(bob, java.util.Arrays.copyOf(init.message(), Handshake.INITIATION_BYTES - 1))).isNull();
        assertThat(Handshake.consumeInitiation(bob, java.util.Arrays.copyOf(init.message(), Handshake.INITIATION_BYTES + 1))).isNull();
    }

    @Test
    void timestampsOrderChronologically() {
        byte[] a = Tai64n.encode(Instant.ofEpochSecond(1000, 5_000_000));
        byte[] b = Tai64n.encode(Instant.ofEpochSecond(1000, 6_000_000));
        byte[] c = Tai64n.encode(Instant.ofEpochSecond(1001, 0));
        assertThat(Tai64n.compare(a, b)).isNegative();
        assertThat(Tai64n.compare(b, c)).isNegative();
        assertThat(Tai64n.compare(c, c)).isZero();
    }

    @Test
    void responderPicksAnOfferedSuiteAndBothSidesAgree() {
        var init = Handshake.initiate(alice, bob.publicKey(), 1, Instant.now(), CipherSuite.CHACHA20_POLY1305.bit());
        var received = Handshake.consumeInitiation(bob, init.message());
        assertThat(received.offeredSuites()).isEqualTo(CipherSuite.CHACHA20_POLY1305.bit());
        assertThat(CipherSuite.choose(received.offeredSuites(), BOTH)).isEqualTo(CipherSuite.CHACHA20_POLY1305);
        var resp = Handshake.respond(received, 2, CipherSuite.CHACHA20_POLY1305);
        var done = Handshake.consumeResponse(init.state(), alice, resp.message());
        assertThat(done.keys().suite()).isEqualTo(CipherSuite.CHACHA20_POLY1305);
        assertThat(resp.keys().suite()).isEqualTo(CipherSuite.CHACHA20_POLY1305);
    }

    @Test
    void aSuiteThatWasNotOfferedCannotBeChosen() {
        var init = Handshake.initiate(alice, bob.publicKey(), 1, Instant.now(), CipherSuite.CHACHA20_POLY1305.bit());
        var received = Handshake.consumeInitiation(bob, init.message());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Handshake.respond(received, 2, CipherSuite.AES_256_GCM))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
