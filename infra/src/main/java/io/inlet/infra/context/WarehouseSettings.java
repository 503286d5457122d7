package io.inlet.infra.context;

import java.net.URI;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The warehouse: its endpoints (Stream Load FE HTTP endpoints and a MySQL-protocol JDBC URL, or a PostgreSQL JDBC
 * URL), the complete ARN of the Secrets Manager secret holding {@code username} and {@code password}, and where it
 * lives, for the service's egress rules. A Stream Load warehouse cannot hold the service's job catalog: it lives in
 * {@code catalogTopic} on the cluster (empty for PostgreSQL).
 */
public record WarehouseSettings(WarehouseType type, String endpoint, Optional<String> jdbcUrl,
                                String credentialsSecretArn, String cidr, int backendHttpPort,
                                Optional<String> catalogTopic) {

    /** The TCP ports the ingest service opens to the warehouse. */
    public SortedSet<Integer> ports() {
        SortedSet<Integer> ports = new TreeSet<>();
        if (type.streamLoad()) {
            for (String hostPort : endpoint.split(",")) {
                ports.add(Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1).trim()));
            }
            // Stream Load redirects from the FE to a BE's HTTP port.
            ports.add(backendHttpPort);
            jdbcUrl.ifPresent(url -> ports.add(jdbcPort(url, 9030)));
        } else {
            ports.add(jdbcPort(endpoint, 5432));
        }
        return ports;
    }

    static int jdbcPort(String jdbcUrl, int defaultPort) {
        int port = URI.create(jdbcUrl.substring("jdbc:".length())).getPort();
        return port < 0 ? defaultPort : port;
    }
}
