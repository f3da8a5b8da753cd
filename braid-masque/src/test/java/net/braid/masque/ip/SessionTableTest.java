package net.braid.masque.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import net.braid.config.IpPrefix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SessionTableTest {
    static int v4(String a) {
        return ByteBuffer.wrap(java.net.InetAddress.ofLiteral(a).getAddress()).getInt();
    }

    @Test
    void longestPrefixWinsAndRemovalIsPerOwner() {
        var table = new SessionTable<String>();
        table.put(IpPrefix.parse("198.19.0.0/24"), "block");
        table.put(IpPrefix.parse("198.19.0.7/32"), "host");
        table.put(IpPrefix.parse("2001:db8:1::/64"), "v6-block");
        table.put(IpPrefix.parse("2001:db8:1::9/128"), "v6-host");
        assertThat(table.lookupV4(v4("198.19.0.7"))).isEqualTo("host");
        assertThat(table.lookupV4(v4("198.19.0.8"))).isEqualTo("block");
        assertThat(table.lookupV4(v4("198.19.1.8"))).isNull();
        byte[] a = java.net.InetAddress.ofLiteral("2001:db8:1::9").getAddress();
        ByteBuffer b = ByteBuffer.wrap(a);
        assertThat(table.lookupV6(b.getLong(0), b.getLong(8))).isEqualTo("v6-host");
        assertThat(table.lookupV6(b.getLong(0), b.getLong(8) + 1)).isEqualTo("v6-block");
        assertThat(table.lookupV6(b.getLong(0) + 1, b.getLong(8))).isNull();
        table.remove(IpPrefix.parse("198.19.0.7/32"), "someone else");
        assertThat(table.lookupV4(v4("198.19.0.7"))).isEqualTo("host");
        table.remove(IpPrefix.parse("198.19.0.7/32"), "host");
        assertThat(table.lookupV4(v4("198.19.0.7"))).isEqualTo("block");
    }

    /** Many host routes: every one found, nothing else. */
    @Property(tries = 30)
    void everyHostIsFound(@ForAll @IntRange(min = 1, max = 600) int hosts) {
        var table = new SessionTable<Integer>();
        Map<Integer, Integer> expected = new HashMap<>();
        for (int i = 0; i < hosts; i++) {
            int address = v4("198.19.0.0") + i * 7;
            table.put(IpPrefix.ofV4(address, 32), i);
            expected.put(address, i);
        }
        for (var e : expected.entrySet()) assertThat(table.lookupV4(e.getKey())).isEqualTo(e.getValue());
        assertThat(table.lookupV4(v4("198.19.0.0") + 1)).isNull();
    }
}
