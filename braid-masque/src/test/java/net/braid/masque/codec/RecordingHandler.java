package net.braid.masque.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Records what a parser delivers as comparable text, copying DATAGRAM payloads out. */
final class RecordingHandler implements CapsuleHandler {

    final List<String> events = new ArrayList<>();
    final List<ByteBuffer> datagramViews = new ArrayList<>();

    @Override
    public void onDatagram(ByteBuffer payload) {
        datagramViews.add(payload);
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        events.add("DATAGRAM " + HexFormat.of().formatHex(copy));
    }

    @Override
    public void onAddressAssign(AddressAssign capsule) {
        events.add("ADDRESS_ASSIGN " + capsule.addresses());
    }

    @Override
    public void onAddressRequest(AddressRequest capsule) {
        events.add("ADDRESS_REQUEST " + capsule.addresses());
    }

    @Override
    public void onRouteAdvertisement(RouteAdvertisement capsule) {
        events.add("ROUTE_ADVERTISEMENT " + capsule.ranges());
    }

    @Override
    public void onSkipped(long type, long length) {
        events.add("SKIPPED " + CapsuleType.name(type) + " " + length);
    }
}
