package io.inlet.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real schema registry for the tests: Apicurio Registry 3.0.9 (its Quarkus runner, from Maven Central, in-memory
 * storage; the build unpacks it into {@code target/}) serving the Confluent API at {@code /apis/ccompat/v7}, with HTTP basic auth required (Quarkus'
 * properties-file users). One per test run: started by the first test that asks, on a free loopback port, and
 * stopped when the JVM exits. Schemas are registered under subjects named by each test, so tests share it safely.
 */
public final class ApicurioRegistry {

    public static final String USER = "inlet-reader";
    public static final String PASSWORD = "reg-s3cret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApicurioRegistry instance;

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private ApicurioRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The registry of this test run, started on first use. */
    public static synchronized ApicurioRegistry get() {
        if (instance == null) {
            instance = start();
            ApicurioRegistry started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "apicurio-registry-stop"));
        }
        return instance;
    }

    /** The Confluent API's base URL, without credentials. */
    public String url() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /** The Confluent API's base URL with the credentials as user info. */
    public String urlWithCredentials() {
        return "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    public int port() {
        return port;
    }

    /** Registers an Avro schema under {@code subject} and returns its id, as a producer's serializer does. */
    public int register(String subject, String avroSchema) {
        try {
            String body = JSON.writeValueAsString(Map.of("schema", avroSchema));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/subjects/" + subject + "/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .header("Authorization", basic(USER, PASSWORD))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("registering a schema under " + subject + ": HTTP " + r.statusCode() + " "
                        + r.body());
            }
            return JSON.readTree(r.body()).get("id").asInt();
        } catch (IOException e) {
            throw new IllegalStateException("registering a schema under " + subject, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static ApicurioRegistry start() {
        // unpacked by the build (ingest-runtime/pom.xml, dependency:unpack); the benchmarks are told where
        Path home = Paths.get(System.getProperty("inlet.apicurio.home", "ingest-runtime/target/apicurio-registry-3.0.9"))
                .toAbsolutePath();
        Path jar = home.resolve("apicurio-registry-app-3.0.9-runner.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Apicurio Registry is not unpacked in " + home + ": the build unpacks "
                    + "io.apicurio:apicurio-registry-app:3.0.9:tar.gz:all there (phase generate-test-resources)");
        }
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path log = home.resolve("registry-" + port + ".log");
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.management.enabled=false",
                    "-Dquarkus.security.users.embedded.enabled=true",
                    "-Dquarkus.security.users.embedded.plain-text=true",
                    "-Dquarkus.security.users.embedded.users." + USER + "=" + PASSWORD,
                    "-Dquarkus.http.auth.basic=true",
                    "-Dquarkus.http.auth.permission.all.paths=/*",
                    "-Dquarkus.http.auth.permission.all.policy=authenticated",
                    "-jar", jar.toString()));
            Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            ApicurioRegistry r = new ApicurioRegistry(p, port, log);
            r.awaitReady(Duration.ofSeconds(120));
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("starting Apicurio Registry", e);
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                        .header("Authorization", basic(USER, PASSWORD)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("Apicurio Registry was not ready within " + timeout.toSeconds() + " s:\n"
                + Files.readString(log));
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
