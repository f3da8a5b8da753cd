package net.braid.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoExceptionTest {
    @Test
    void carriesOperationNumberNameTextAndHint() {
        var e = new ErrnoException("ioctl TUNSETIFF braid0", ErrnoException.EBUSY, "name in use");
        assertThat(e.errno()).isEqualTo(16);
        assertThat(e.errnoName()).isEqualTo("EBUSY");
        assertThat(e.operation()).isEqualTo("ioctl TUNSETIFF braid0");
        assertThat(e).hasMessage("ioctl TUNSETIFF braid0: EBUSY (Device or resource busy): name in use");
    }

    @Test
    void namesTheCommonErrnos() {
        assertThat(ErrnoException.nameOf(1)).isEqualTo("EPERM");
        assertThat(ErrnoException.nameOf(2)).isEqualTo("ENOENT");
        assertThat(ErrnoException.nameOf(11)).isEqualTo("EAGAIN");
        assertThat(ErrnoException.nameOf(13)).isEqualTo("EACCES");
        assertThat(ErrnoException.nameOf(22)).isEqualTo("EINVAL");
        assertThat(ErrnoException.nameOf(90)).isEqualTo("EMSGSIZE");
        assertThat(ErrnoException.nameOf(100_000)).isEqualTo("errno 100000");
    }

    @Test
    void messageWithoutHintEndsWithTheLibcText() {
        assertThat(new ErrnoException("open /nowhere", ErrnoException.ENOENT))
                .hasMessage("open /nowhere: ENOENT (No such file or directory)");
    }
}
