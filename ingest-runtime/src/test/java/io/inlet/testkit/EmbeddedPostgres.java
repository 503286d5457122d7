package io.inlet.testkit;

import io.inlet.demo.EmbeddedKafkaBroker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for a test: {@code initdb} into a temporary folder, {@code pg_ctl
 * start} on a free loopback port, {@code pg_ctl stop} and removal on close. As root (CI), the
 * server runs as the {@code postgres} user, since PostgreSQL refuses to run as root.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String USER = "inlet";
    private final Path dataDir;
    private final Path bin;
    private final int port;
    private final String runAs;
    private final int maxConnections;

    private EmbeddedPostgres(int maxConnections) throws IOException, InterruptedException {
        this.maxConnections = maxConnections;
        this.bin = findBin();
        this.dataDir = Files.createTempDirectory("inlet-pg-");
        this.port = EmbeddedKafkaBroker.freePort();
        this.runAs = isRoot() ? (userExists("postgres") ? "postgres" : "nobody") : null;
        if (runAs != null) {
            exec(List.of("chown", "-R", runAs, dataDir.toString()), false);
        }
        exec(List.of(bin.resolve("initdb").toString(), "-D", dataDir.resolve("data").toString(), "-U", USER,
                "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"), true);
        startServer();
    }

    private void startServer() throws IOException, InterruptedException {
        exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-l",
                dataDir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -h 127.0.0.1 -k " + dataDir + " -c fsync=off -c max_connections=" + maxConnections, "start"), true);
    }

    /** Stops the server, keeping its data, as an outage would (clients' connections break). */
    public void stopServer() throws IOException, InterruptedException {
        exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-m", "fast",
                "-w", "stop"), true);
    }

    /** Starts the stopped server again on the same port and data. */
    public void restartServer() throws IOException, InterruptedException {
        startServer();
    }

    public static EmbeddedPostgres start() {
        return start(200);
    }

    /** A cluster that accepts at most {@code maxConnections} connections (PostgreSQL's default is 100). */
    public static EmbeddedPostgres start(int maxConnections) {
        try {
            return new EmbeddedPostgres(maxConnections);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = connect(); var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void exec(List<String> command, boolean asServerUser) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asServerUser && runAs != null) {
            full.addAll(Arrays.asList("runuser", "-u", runAs, "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed: " + output);
        }
    }

    private static Path findBin() throws IOException {
        String env = System.getenv("INLET_PG_BIN");
        if (env != null) {
            return Path.of(env);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                        .orElse(null);
                if (found != null) {
                    return found;
                }
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        throw new IOException("PostgreSQL binaries (initdb, pg_ctl) not found: install postgresql or set INLET_PG_BIN");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean userExists(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u", name).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @Override
    public void close() {
        try {
            exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-m",
                    "immediate", "-w", "stop"), true);
        } catch (IOException | InterruptedException e) {
            // fall through to removal
        }
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder
        }
    }
}
