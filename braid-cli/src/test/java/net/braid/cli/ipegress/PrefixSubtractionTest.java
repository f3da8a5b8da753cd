package net.braid.cli.ipegress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.braid.config.IpPrefix;
import org.junit.jupiter.api.Test;

class PrefixSubtractionTest {
    static List<IpPrefix> prefixes(String... texts) {
        return java.util.Arrays.stream(texts).map(IpPrefix::parse).toList();
    }

    @Test
    void cutsAHoleByHalving() {
        assertThat(PrefixSubtraction.minus(prefixes("10.0.0.0/8"), prefixes("10.0.0.0/10")))
                .containsExactlyElementsOf(prefixes("10.64.0.0/10", "10.128.0.0/9"));
        assertThat(PrefixSubtraction.minus(prefixes("10.0.0.0/8"), prefixes("10.1.0.0/16")))
                .containsExactlyElementsOf(prefixes("10.0.0.0/16", "10.2.0.0/15", "10.4.0.0/14", "10.8.0.0/13",
                        "10.16.0.0/12", "10.32.0.0/11", "10.64.0.0/10", "10.128.0.0/9"));
    }

    @Test
    void wholeCutsAndOtherFamiliesAndDisjointPrefixes() {
        assertThat(PrefixSubtraction.minus(prefixes("192.168.0.0/16"), prefixes("192.0.0.0/8"))).isEmpty();
        assertThat(PrefixSubtraction.minus(prefixes("fc00::/7", "10.0.0.0/8"), prefixes("10.0.0.0/8", "198.18.0.0/15")))
                .containsExactlyElementsOf(prefixes("fc00::/7"));
        assertThat(PrefixSubtraction.minus(prefixes("fe80::/10"), prefixes("fe80::/11")))
                .containsExactlyElementsOf(prefixes("fea0::/11"));
    }
}
