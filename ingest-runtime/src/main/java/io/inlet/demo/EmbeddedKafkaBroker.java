package io.inlet.demo;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller) running in this JVM on
 * loopback. Used by {@code inlet demo} and by the tests. Extra listeners (SASL, TLS) are added
 * with {@link Builder#listener}; the PLAINTEXT listener always exists and is the inter-broker one.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** A named listener: its security protocol and the broker configuration it needs. */
    public record Listener(String name, String securityProtocol, Map<String, String> config) {}

    public static final class Builder {
        private final List<Listener> listeners = new ArrayList<>();
        private final Map<String, String> config = new LinkedHashMap<>();
        private final List<String> scramCredentials = new ArrayList<>();
        private Path dataDir;
        private final Map<String, Integer> fixedPorts = new LinkedHashMap<>();

        public Builder listener(String name, String securityProtocol, Map<String, String> listenerConfig) {
            listeners.add(new Listener(name.toUpperCase(), securityProtocol, listenerConfig));
            return this;
        }

        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        /** e.g. {@code SCRAM-SHA-512=[name=alice,password=secret]}, written into the cluster at format time. */
        public Builder scramCredential(String formatterArgument) {
            scramCredentials.add(formatterArgument);
            return this;
        }

        /**
         * A fixed port for a listener ({@code PLAINTEXT}, {@code CONTROLLER} or one added with
         * {@link #listener}) instead of a free one: to restart a broker on the same data and
         * addresses, pass {@link EmbeddedKafkaBroker#ports()} of the previous one.
         */
        public Builder port(String listener, int port) {
            fixedPorts.put(listener.toUpperCase(), port);
            return this;
        }

        public Builder ports(Map<String, Integer> ports) {
            ports.forEach(this::port);
            return this;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public EmbeddedKafkaBroker start() {
            return new EmbeddedKafkaBroker(this);
        }
    }

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final KafkaRaftServer server;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final int controllerPort;

    public static Builder builder() {
        return new Builder();
    }

    /** A broker with only a PLAINTEXT listener. */
    public static EmbeddedKafkaBroker start() {
        return builder().start();
    }

    private EmbeddedKafkaBroker(Builder b) {
        try {
            this.ownsDataDir = b.dataDir == null;
            this.dataDir = b.dataDir != null ? b.dataDir : Files.createTempDirectory("inlet-kafka-");
            Iterator<Integer> free = freePorts(b.listeners.size() + 2).iterator();
            int controllerPort = b.fixedPorts.getOrDefault("CONTROLLER", free.next());
            this.controllerPort = controllerPort;
            ports.put("PLAINTEXT", b.fixedPorts.getOrDefault("PLAINTEXT", free.next()));
            for (Listener l : b.listeners) {
                ports.put(l.name(), b.fixedPorts.getOrDefault(l.name(), free.next()));
            }
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            StringBuilder listeners = new StringBuilder("CONTROLLER://127.0.0.1:" + controllerPort);
            StringBuilder protocolMap = new StringBuilder("CONTROLLER:PLAINTEXT");
            for (Map.Entry<String, Integer> e : ports.entrySet()) {
                listeners.append(',').append(e.getKey()).append("://127.0.0.1:").append(e.getValue());
                String protocol = e.getKey().equals("PLAINTEXT") ? "PLAINTEXT" : protocolOf(b.listeners, e.getKey());
                protocolMap.append(',').append(e.getKey()).append(':').append(protocol);
            }
            props.put("listeners", listeners.toString());
            props.put("advertised.listeners", listeners.toString().replaceFirst("CONTROLLER://[^,]+,", ""));
            props.put("listener.security.protocol.map", protocolMap.toString());
            props.put("log.dirs", dataDir.resolve("log").toString());
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "3");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("num.partitions", "1");
            props.put("auto.create.topics.enable", "false");
            props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
            props.put("unstable.api.versions.enable", "false");
            for (Listener l : b.listeners) {
                l.config().forEach((k, v) -> props.put("listener.name." + l.name().toLowerCase() + "." + k, v));
            }
            props.putAll(b.config);
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            if (!Files.exists(Path.of(config.metadataLogDir(), "meta.properties"))) {
                format(config, b.scramCredentials); // a restart on the same data keeps its cluster id
            }
            this.server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            awaitReady();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String protocolOf(List<Listener> listeners, String name) {
        return listeners.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow().securityProtocol();
    }

    private static void format(KafkaConfig config, List<String> scram) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(out))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setNodeId(config.nodeId())
                .setClusterId(Uuid.randomUuid().toString())
                .setIgnoreFormatted(true)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(config.metadataLogDir())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setDirectories(List.of(config.metadataLogDir()));
        if (!scram.isEmpty()) {
            formatter.setScramArguments(scram);
        }
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("formatting the Kafka log directory failed: " + out, e);
        }
    }

    private void awaitReady() {
        long deadline = System.currentTimeMillis() + 30_000;
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("the embedded Kafka broker did not become ready", e);
                    }
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every listener's port, the controller's included: for {@link Builder#ports} on a restart. */
    public Map<String, Integer> ports() {
        Map<String, Integer> all = new LinkedHashMap<>(ports);
        all.put("CONTROLLER", controllerPort);
        return all;
    }

    /** The PLAINTEXT bootstrap address, {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return bootstrapServers("PLAINTEXT");
    }

    public String bootstrapServers(String listener) {
        Integer port = ports.get(listener.toUpperCase());
        if (port == null) {
            throw new IllegalArgumentException("no listener " + listener + "; have " + ports.keySet());
        }
        return "127.0.0.1:" + port;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** A topic with these topic configurations, e.g. {@code retention.ms} -1 for messages with old timestamps. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
            // the controller has the topic; the broker's metadata may lag, and a consumer asking it now would find
            // no partitions: return once the broker describes the topic whole
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!describedWhole(admin, name, partitions) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("creating topic " + name + " failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean describedWhole(Admin admin, String topic, int partitions) throws InterruptedException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size() == partitions;
        } catch (ExecutionException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp directory
        }
    }

    /**
     * {@code n} different free loopback ports, found while all are held open: ports found one at a
     * time may repeat, since the system can hand out a port again as soon as it is closed.
     */
    static List<Integer> freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a socket that was only listened on
                }
            }
        }
    }

    public static int freePort() {
        return freePorts(1).get(0);
    }
}
