package io.inlet.streamload;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to Stream Load: the FE HTTP endpoints (several for failover; {@code http} or
 * {@code https}), the account, the target table, the warehouse flavor, timeouts, and the Stream
 * Load headers sent with every load ({@code format}, {@code columns}, {@code jsonpaths},
 * {@code where}, {@code column_separator}, ...; a load's own headers override them).
 *
 * <p>The password never appears in {@link #toString()}, in log lines or in exception messages.
 *
 * @param loadUrls        FE HTTP endpoints, e.g. {@code http://fe1:8030}; tried in turn when one cannot be reached
 * @param user            account with INSERT on the table
 * @param password        its password (may be empty)
 * @param database        target database
 * @param table           target table
 * @param flavor          StarRocks/CelerData or Doris
 * @param connectTimeout  TCP connect timeout per endpoint
 * @param requestTimeout  time allowed from sending a request until its response headers arrive
 *                        (for a load this includes sending the body and the warehouse's commit)
 * @param headers         default Stream Load headers
 * @param sslContext      for {@code https} endpoints; {@code null} uses the JDK default
 * @param maxConnections  the most HTTP connections open at once to the warehouse's FEs and BEs, per process
 */
public record StreamLoadConfig(
        List<URI> loadUrls,
        String user,
        String password,
        String database,
        String table,
        Flavor flavor,
        Duration connectTimeout,
        Duration requestTimeout,
        Map<String, String> headers,
        SSLContext sslContext,
        int maxConnections) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** StarRocks' default Stream Load timeout is 600 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(600);
    public static final int DEFAULT_MAX_CONNECTIONS = 10;

    public StreamLoadConfig {
        Objects.requireNonNull(loadUrls, "loadUrls");
        if (loadUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one load-url (FE HTTP endpoint) is required");
        }
        for (URI u : loadUrls) {
            String scheme = u.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || u.getHost() == null) {
                throw new IllegalArgumentException("load-url must be http(s)://host[:port], got " + redact(u));
            }
            if (u.getRawUserInfo() != null) {
                throw new IllegalArgumentException("load-url must not carry credentials: " + redact(u));
            }
        }
        loadUrls = List.copyOf(loadUrls);
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        requireName(database, "database");
        requireName(table, "table");
        Objects.requireNonNull(flavor, "flavor");
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        maxConnections = maxConnections == 0 ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        if (maxConnections < 2) {
            throw new IllegalArgumentException("max-connections must be at least 2, not " + maxConnections);
        }
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        for (String name : headers.keySet()) {
            StreamLoadHeaders.checkSettable(name);
        }
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("?") || name.contains("#")) {
            throw new IllegalArgumentException("invalid " + what + " name: " + name);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same endpoints and account for another table of the same database. */
    public StreamLoadConfig withTable(String database, String table) {
        return new StreamLoadConfig(loadUrls, user, password, database, table, flavor, connectTimeout,
                requestTimeout, headers, sslContext, maxConnections);
    }

    /** The same configuration with these default headers (replacing the previous ones). */
    public StreamLoadConfig withHeaders(Map<String, String> headers) {
        return new StreamLoadConfig(loadUrls, user, password, database, table, flavor, connectTimeout,
                requestTimeout, headers, sslContext, maxConnections);
    }

    /**
     * Parses the Flink connector's {@code load-url} value: FE HTTP endpoints separated by
     * {@code ,} or {@code ;}, each {@code host:port} (http) or a full {@code http(s)://} URL.
     * Without a port, http uses 8030 (the FE's default {@code http_port}) and https 443.
     */
    public static List<URI> parseLoadUrls(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("load-url is empty");
        }
        List<URI> out = new ArrayList<>();
        for (String part : value.split("[,;]")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            String withScheme = p.contains("://") ? p : "http://" + p;
            URI u;
            try {
                u = URI.create(withScheme);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid load-url entry: "
                        + p.replaceAll("//[^/@]*@", "//******@"));
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (u.getRawUserInfo() != null) {
                throw new IllegalArgumentException("load-url must not carry credentials: " + redact(u));
            }
            if (u.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw new IllegalArgumentException("invalid load-url entry: " + redact(u));
            }
            int port = u.getPort() > 0 ? u.getPort() : (scheme.equals("https") ? 443 : 8030);
            String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
            out.add(URI.create(scheme + "://" + u.getHost() + ":" + port + path));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("load-url is empty");
        }
        return out;
    }

    static String redact(URI u) {
        if (u == null) {
            return "null";
        }
        String s = u.toString();
        return u.getRawUserInfo() == null ? s : s.replace(u.getRawUserInfo() + "@", "******@");
    }

    @Override
    public String toString() {
        return "StreamLoadConfig[loadUrls=" + loadUrls + ", user=" + user + ", password=******"
                + ", database=" + database + ", table=" + table + ", flavor=" + flavor
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", headers=" + headers + ", ssl=" + (sslContext == null ? "default" : "custom") + "]";
    }

    /** Builds a {@link StreamLoadConfig}. */
    public static final class Builder {
        private final List<URI> loadUrls = new ArrayList<>();
        private String user;
        private String password = "";
        private String database;
        private String table;
        private Flavor flavor = Flavor.STARROCKS;
        private Duration connectTimeout;
        private Duration requestTimeout;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private SSLContext sslContext;
        private int maxConnections;

        private Builder() {}

        /** The Flink connector's {@code load-url}: endpoints separated by {@code ,} or {@code ;}. */
        public Builder loadUrls(String loadUrl) {
            loadUrls.addAll(parseLoadUrls(loadUrl));
            return this;
        }

        public Builder loadUrl(URI uri) {
            loadUrls.add(uri);
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder table(String table) {
            this.table = table;
            return this;
        }

        public Builder flavor(Flavor flavor) {
            this.flavor = flavor;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder headers(Map<String, String> h) {
            headers.putAll(h);
            return this;
        }

        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        public Builder sslContext(SSLContext ctx) {
            this.sslContext = ctx;
            return this;
        }

        public StreamLoadConfig build() {
            return new StreamLoadConfig(loadUrls, user, password, database, table, flavor, connectTimeout,
                    requestTimeout, headers, sslContext, maxConnections);
        }
    }
}
