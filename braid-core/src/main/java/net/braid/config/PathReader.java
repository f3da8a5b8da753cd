package net.braid.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads one {@code [Path]} into a {@link PathSection}, reporting every broken rule. */
final class PathReader {

    static final String TRANSPORT = "Transport";
    static final String BIND = "Bind";
    static final String ENDPOINT = "Endpoint";
    static final String METRIC = "Metric";

    private PathReader() {
    }

    /** @param label how messages name it: "Path[2]", or "Peer[3].Path[2]" when there are several peers */
    static Optional<PathSection> read(IniSection ini, String label, List<ConfigError> errors) {
        var reader = new SectionReader(ini, label, List.of(TRANSPORT, BIND, ENDPOINT, METRIC), List.of(), errors);
        Optional<Transport> transport = reader.value(TRANSPORT, Transport::parse);
        Optional<Bind> bind = reader.value(BIND, Bind::parse);
        Optional<Endpoint> endpoint = reader.value(ENDPOINT, Endpoint::parse);
        OptionalLong metric = reader.number(METRIC, ValueRules::metric);
        String family = PathSection.familyRule(bind, endpoint);
        if (family != null) {
            reader.invalid(reader.single(BIND).orElseThrow(), family, bind.orElseThrow().toString());
        }
        if (reader.failed()) {
            return Optional.empty();
        }
        return Optional.of(new PathSection(transport.orElse(Transport.UDP), bind, endpoint, (int) metric.orElse(0)));
    }
}
