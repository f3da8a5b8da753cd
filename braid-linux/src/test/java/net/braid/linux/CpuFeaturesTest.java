package net.braid.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuFeaturesTest {
    @Test
    void x86WithAesNiAndClmul() {
        assertThat(CpuFeatures.aesGcmAccelerated("processor\t: 0\nflags\t\t: fpu sse2 pclmulqdq avx aes avx2\n")).isTrue();
    }

    @Test
    void arm64WithAesAndPmull() {
        assertThat(CpuFeatures.aesGcmAccelerated("processor\t: 0\nFeatures\t: fp asimd aes pmull sha1\n")).isTrue();
    }

    @Test
    void withoutCarrylessMultiplyOrAes() {
        assertThat(CpuFeatures.aesGcmAccelerated("flags\t\t: fpu sse2 aes avx\n")).isFalse();
        assertThat(CpuFeatures.aesGcmAccelerated("flags\t\t: fpu sse2 pclmulqdq\n")).isFalse();
        assertThat(CpuFeatures.aesGcmAccelerated("")).isFalse();
    }
}
