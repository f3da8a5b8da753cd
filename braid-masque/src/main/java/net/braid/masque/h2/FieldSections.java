package net.braid.masque.h2;

import io.netty.handler.codec.Headers;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;
import java.util.Map;

/**
 * Copies a field section between Netty's HTTP/3 and HTTP/2 header types: the MASQUE handlers speak
 * Http3Headers, and both versions share the same pseudo-header fields (RFC 9113 §8.3, RFC 9114
 * §4.3, :protocol from RFC 8441 §4 and RFC 9220 §3). Once per request and response, never per packet.
 */
final class FieldSections {
    private FieldSections() {}

    static Http2Headers toHttp2(Headers<CharSequence, CharSequence, ?> fields) {
        var out = new DefaultHttp2Headers();
        for (Map.Entry<CharSequence, CharSequence> field : fields) out.add(field.getKey(), field.getValue());
        return out;
    }

    static Http3Headers toHttp3(Http2Headers fields) {
        var out = new DefaultHttp3Headers();
        for (Map.Entry<CharSequence, CharSequence> field : fields) out.add(field.getKey(), field.getValue());
        return out;
    }
}
