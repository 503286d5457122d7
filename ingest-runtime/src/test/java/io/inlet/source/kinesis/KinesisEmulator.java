package io.inlet.source.kinesis;

import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Kinesis emulator on a free loopback port for the Kinesis tests (this package's and the jobs'), stopped by
 * {@link #close()}:
 * moto's server (Python; Kinesis and DynamoDB) or kinesalite (Node; installed from npm into target/ on first
 * use), for resharding, since moto keeps writing to a split shard. Clients use static fake credentials,
 * us-east-1 and JSON rather than CBOR (neither emulator speaks CBOR); EC2 metadata is never asked.
 */
public final class KinesisEmulator implements AutoCloseable {
    public static final Region REGION = Region.US_EAST_1;
    public static final String KINESALITE_VERSION = "3.3.3";

    static {
        System.setProperty("aws.cborEnabled", "false");
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    private final Process process;
    private final int port;
    private final File log;

    private KinesisEmulator(Process process, int port, File log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** moto's server, or the calling test skipped when python3 has no moto. */
    public static KinesisEmulator startMoto() throws IOException, InterruptedException {
        Assumptions.assumeTrue(succeeds(List.of("python3", "-c", "import moto.server"), Duration.ofSeconds(60)),
                "python3 with moto[server] is needed for the Kinesis emulator");
        int port = freePort();
        return start(List.of("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port)), port);
    }

    /** kinesalite, installed with npm into target/kinesalite if missing; the calling test skipped without npm. */
    public static KinesisEmulator startKinesalite() throws IOException, InterruptedException {
        return startKinesalite(Path.of(System.getProperty("user.dir"), "target", "kinesalite"));
    }

    /** kinesalite installed under {@code home} (the benchmark runs from the repository's root, not the module's). */
    public static KinesisEmulator startKinesalite(Path home) throws IOException, InterruptedException {
        Path cli = home.resolve("node_modules/kinesalite/cli.js");
        if (!Files.exists(cli)) {
            Files.createDirectories(home);
            Assumptions.assumeTrue(succeeds(List.of("npm", "install", "--prefix", home.toString(), "--no-audit",
                    "--no-fund", "--prefer-offline", "kinesalite@" + KINESALITE_VERSION), Duration.ofMinutes(5)),
                    "npm install kinesalite@" + KINESALITE_VERSION + " failed");
        }
        int port = freePort();
        return start(List.of("node", cli.toString(), "--port", String.valueOf(port), "--createStreamMs", "0",
                "--deleteStreamMs", "0", "--updateStreamMs", "0", "--shardLimit", "100"), port);
    }

    private static boolean succeeds(List<String> command, Duration limit) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return false;
        }
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            return false;
        }
        return p.exitValue() == 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static KinesisEmulator start(List<String> command, int port) throws IOException, InterruptedException {
        File log = Files.createTempFile("kinesis-emulator-", ".log").toFile();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        KinesisEmulator server = new KinesisEmulator(p, port, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!server.answers()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String output = Files.readString(log.toPath());
                server.close();
                throw new IOException(command.get(0) + " did not start on port " + port + ": " + output);
            }
            Thread.sleep(50);
        }
        return server;
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client of this emulator; SDK retries are off so that the reader's own handling is what a test sees. */
    public KinesisClient kinesis(ExecutionInterceptor... interceptors) {
        return KinesisClient.builder()
                .endpointOverride(endpoint())
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(o -> {
                    o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    o.executionInterceptors(List.of(interceptors));
                })
                .build();
    }

    /** Creates a stream and waits until it is ACTIVE. */
    public static void createStream(KinesisClient k, String name, int shards) throws InterruptedException {
        k.createStream(b -> b.streamName(name).shardCount(shards));
        awaitActive(k, name);
    }

    /** Waits until a stream is ACTIVE again (after a split or merge), polling its status. */
    public static void awaitActive(KinesisClient k, String name) throws InterruptedException {
        while (k.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        log.delete();
    }
}
