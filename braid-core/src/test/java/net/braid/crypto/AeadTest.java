package net.braid.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import org.junit.jupiter.api.Test;

class AeadTest {
    private final byte[] rawKey = HexFormat.of().parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");

    @Test
    void sealThenOpenRoundTrips() {
        Aead aead = new Aead();
        byte[] aad = {1, 2, 3};
        ByteBuffer out = ByteBuffer.allocate(100);
        aead.seal(Aead.key(rawKey), 42, aad, ByteBuffer.wrap("hello".getBytes()), out);
        out.flip();
        assertThat(out.remaining()).isEqualTo(5 + Aead.TAG_BYTES);
        ByteBuffer plain = ByteBuffer.allocate(100);
        assertThat(aead.open(Aead.key(rawKey), 42, aad, out.duplicate(), plain)).isTrue();
        plain.flip();
        assertThat(new String(plain.array(), 0, plain.remaining())).isEqualTo("hello");
    }

    @Test
    void nonceIsFourZeroBytesThenBigEndianCounter() throws Exception {
        Aead aead = new Aead();
        ByteBuffer out = ByteBuffer.allocate(64);
        aead.seal(Aead.key(rawKey), 0x0102030405060708L, (byte[]) null, ByteBuffer.wrap(new byte[8]), out);
        Cipher reference = Cipher.getInstance("ChaCha20-Poly1305");
        reference.init(Cipher.ENCRYPT_MODE, Aead.key(rawKey),
                new IvParameterSpec(HexFormat.of().parseHex("000000000102030405060708")));
        assertThat(java.util.Arrays.copyOf(out.array(), out.position())).isEqualTo(reference.doFinal(new byte[8]));
    }

    @Test
    void tamperedCiphertextOrAadOrCounterFails() {
        Aead aead = new Aead();
        ByteBuffer out = ByteBuffer.allocate(64);
        aead.seal(Aead.key(rawKey), 7, new byte[] {9}, ByteBuffer.wrap(new byte[20]), out);
        byte[] ct = java.util.Arrays.copyOf(out.array(), out.position());
        byte[] bad = ct.clone();
        bad[3] ^= 1;
        assertThat(aead.open(Aead.key(rawKey), 7, new byte[] {9}, ByteBuffer.wrap(bad), ByteBuffer.allocate(64))).isFalse();
        assertThat(aead.open(Aead.key(rawKey), 7, new byte[] {8}, ByteBuffer.wrap(ct), ByteBuffer.allocate(64))).isFalse();
        assertThat(aead.open(Aead.key(rawKey), 8, new byte[] {9}, ByteBuffer.wrap(ct), ByteBuffer.allocate(64))).isFalse();
        assertThat(aead.open(Aead.key(rawKey), 7, new byte[] {9}, ByteBuffer.wrap(ct), ByteBuffer.allocate(64))).isTrue();
    }

    @Test
    void aesGcmKeysSealWithGcmAndTheSameNonceLayout() throws Exception {
        Aead aead = new Aead();
        javax.crypto.SecretKey key = Aead.key(rawKey, CipherSuite.AES_256_GCM);
        ByteBuffer out = ByteBuffer.allocateDirect(64);
        aead.seal(key, 0x0102030405060708L, new byte[] {7}, ByteBuffer.wrap(new byte[8]), out);
        out.flip();
        byte[] got = new byte[out.remaining()];
        out.duplicate().get(got);
        Cipher reference = Cipher.getInstance("AES/GCM/NoPadding");
        reference.init(Cipher.ENCRYPT_MODE, key,
                new javax.crypto.spec.GCMParameterSpec(128, HexFormat.of().parseHex("000000000102030405060708")));
        reference.updateAAD(new byte[] {7});
        assertThat(got).isEqualTo(reference.doFinal(new byte[8]));
        ByteBuffer plain = ByteBuffer.allocateDirect(64);
        assertThat(aead.open(key, 0x0102030405060708L, new byte[] {7}, out.duplicate(), plain)).isTrue();
        assertThat(aead.open(key, 0x0102030405060709L, new byte[] {7}, out.duplicate(), ByteBuffer.allocateDirect(64))).isFalse();
    }

    @Test
    void suiteChoicePrefersGcmOnlyWhenBothOfferIt() {
        int both = CipherSuite.AES_256_GCM.bit() | CipherSuite.CHACHA20_POLY1305.bit();
        assertThat(CipherSuite.choose(both, both)).isEqualTo(CipherSuite.AES_256_GCM);
        assertThat(CipherSuite.choose(CipherSuite.CHACHA20_POLY1305.bit(), both)).isEqualTo(CipherSuite.CHACHA20_POLY1305);
        assertThat(CipherSuite.choose(both, CipherSuite.CHACHA20_POLY1305.bit())).isEqualTo(CipherSuite.CHACHA20_POLY1305);
        assertThat(CipherSuite.choose(CipherSuite.AES_256_GCM.bit(), CipherSuite.CHACHA20_POLY1305.bit())).isNull();
    }
}
