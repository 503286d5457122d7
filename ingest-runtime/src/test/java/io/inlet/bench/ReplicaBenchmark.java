package io.inlet.bench;

import io.inlet.crash.RuntimeProcess;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.source.kafka.KafkaSource;
import io.inlet.testkit.EmbeddedPostgres;
import io.inlet.testkit.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

/**
 * Replicas (issue 17's measurement): the same topic of 12 partitions loaded into PostgreSQL by 1, 2 and 3
 * {@code inlet run} JVMs started together (each its own job and consumer group, one after the other), and the time
 * from a replica's SIGKILL until every partition it held has loaded again on the others, while messages keep
 * arriving. Prints one table.
 */
public final class ReplicaBenchmark {

    private static final int PARTITIONS = 12;
    private static final String GROUP_PREFIX = "inlet_public_";

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 600_000;
        Path work = Files.createTempDirectory("inlet-bench-replicas");
        List<String> table = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            broker.createTopic("replicas", PARTITIONS);
            Topics.produce(broker, "replicas", PARTITIONS, IntStream.range(0, messages).mapToObj(ReplicaBenchmark::message)
                    .toList());
            for (int replicas = 1; replicas <= 3; replicas++) {
                String job = "bench_" + replicas;
                pg.execute("CREATE TABLE " + job + " (id BIGINT, name VARCHAR(32), ts BIGINT)");
                List<Process> running = start(work, pg, broker, job, "replicas", replicas);
                long started = System.nanoTime();
                long first = 0;
                while (count(pg, job) < messages) {
                    if (first == 0 && count(pg, job) > 0) {
                        first = System.nanoTime();
                    }
                    Thread.sleep(20);
                }
                long end = System.nanoTime();
                stop(running);
                pg.execute("UPDATE inlet_state.routine_load_job SET state = 'STOPPED' WHERE name = '" + job + "'");
                table.add(String.format("| %d | %,d | %.1f | %,.0f |", replicas, messages, (end - started) / 1e9,
                        messages / ((end - Math.max(first, started)) / 1e9)));
            }
            Takeover takeover = takeover(work, pg, broker);
            System.out.printf("%nInlet replicas → PostgreSQL: %,d JSON messages, %d partitions, %d cores%n%n", messages,
                    PARTITIONS, Runtime.getRuntime().availableProcessors());
            System.out.println("| replicas | messages | seconds from start | rows/s from the first row |");
            System.out.println("|---|---|---|---|");
            table.forEach(System.out::println);
            System.out.printf("%nSIGKILL of one of 3 replicas (session.timeout.ms 10 s, heartbeat.interval.ms 3 s,"
                    + " max_batch_interval 1 s): its partitions assigned to the others after %.1f s, each with a batch"
                    + " committed after %.1f s%n", takeover.assigned(), takeover.committed());
        }
    }

    /** Seconds from a replica's SIGKILL until its partitions are assigned to the others, and until each committed. */
    private record Takeover(double assigned, double committed) {}

    private static Takeover takeover(Path work, EmbeddedPostgres pg, EmbeddedKafkaBroker broker) throws Exception {
        broker.createTopic("steady", PARTITIONS);
        pg.execute("CREATE TABLE steady (id BIGINT, name VARCHAR(32), ts BIGINT)");
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produceSteadily(broker, producing), "steady-producer");
        producer.start();
        List<Process> running = start(work, pg, broker, "steady", "steady", 3);
        try {
            Map<Long, Set<Integer>> held;
            while ((held = shares(broker, "steady")).size() < 3 || held.values().stream().anyMatch(Set::isEmpty)) {
                Thread.sleep(100);
            }
            Process victim = running.get(0);
            Set<Integer> partitions = held.getOrDefault(victim.pid(), Set.of());
            Map<Integer, Long> before = positions(pg);
            victim.destroyForcibly();
            long killed = System.nanoTime();
            victim.waitFor(30, TimeUnit.SECONDS);
            double assigned = -1;
            while (true) {
                if (assigned < 0) {
                    Map<Long, Set<Integer>> now = shares(broker, "steady");
                    Set<Integer> elsewhere = new TreeSet<>();
                    now.forEach((pid, ps) -> {
                        if (pid != victim.pid()) {
                            elsewhere.addAll(ps);
                        }
                    });
                    if (elsewhere.containsAll(partitions)) {
                        assigned = (System.nanoTime() - killed) / 1e9;
                    }
                }
                if (System.nanoTime() - killed > TimeUnit.MINUTES.toNanos(3)) {
                    throw new IllegalStateException("partitions " + partitions + " did not load again within 3 minutes"
                            + " of the SIGKILL; logs in " + work);
                }
                Map<Integer, Long> now = positions(pg);
                if (assigned >= 0 && partitions.stream().allMatch(p -> now.getOrDefault(p, -1L) > before.getOrDefault(p,
                        -1L))) {
                    return new Takeover(assigned, (System.nanoTime() - killed) / 1e9);
                }
                Thread.sleep(50);
            }
        } finally {
            producing.set(false);
            producer.join();
            stop(running);
        }
    }

    /** The partitions each replica process holds, by pid (the replica's name, host:pid:suffix, is in its client id). */
    private static Map<Long, Set<Integer>> shares(EmbeddedKafkaBroker broker, String job) throws Exception {
        Map<Long, Set<Integer>> out = new HashMap<>();
        try (Admin admin = broker.admin()) {
            ConsumerGroupDescription g;
            try {
                g = admin.describeConsumerGroups(List.of(GROUP_PREFIX + job)).all().get().get(GROUP_PREFIX + job);
            } catch (java.util.concurrent.ExecutionException e) {
                return out; // no member has joined yet
            }
            for (MemberDescription m : g.members()) {
                String[] replica = KafkaSource.replicaOfMember(m.clientId()).split(":");
                Set<Integer> ps = new TreeSet<>();
                m.assignment().topicPartitions().stream().map(TopicPartition::partition).forEach(ps::add);
                out.put(Long.parseLong(replica[replica.length - 2]), ps);
            }
        }
        return out;
    }

    /** The committed position of each partition of the job "steady". */
    private static Map<Integer, Long> positions(EmbeddedPostgres pg) throws Exception {
        Map<Integer, Long> out = new HashMap<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT l.source_partition, l.position FROM"
                     + " inlet_state.routine_load_position_log l JOIN inlet_state.routine_load_job j ON j.id = l.job_id"
                     + " WHERE j.name = 'steady' AND l.position IS NOT NULL AND l.seq = (SELECT max(m.seq) FROM"
                     + " inlet_state.routine_load_position_log m WHERE m.job_id = l.job_id"
                     + " AND m.source_partition = l.source_partition)")) {
            while (rs.next()) {
                out.put(Integer.parseInt(rs.getString(1)), Long.parseLong(rs.getString(2)));
            }
        }
        return out;
    }

    private static void produceSteadily(EmbeddedKafkaBroker broker, AtomicBoolean producing) {
        // not idempotent: a retried send under load may be stored twice, which a position does not mind, instead of
        // failing on its sequence number
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "1"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            int i = 0;
            while (producing.get()) {
                for (int k = 0; k < 100; k++, i++) {
                    producer.send(new ProducerRecord<>("steady", i % PARTITIONS, null,
                            message(i).getBytes(StandardCharsets.UTF_8)));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static List<Process> start(Path work, EmbeddedPostgres pg, EmbeddedKafkaBroker broker, String job,
                                       String topic, int replicas) throws Exception {
        Path jobs = work.resolve(job + ".sql");
        Files.writeString(jobs, """
                CREATE ROUTINE LOAD %s ON %s
                PROPERTIES ('format' = 'json', 'desired_concurrent_number' = '%d', 'max_batch_interval' = '1')
                FROM KAFKA ('kafka_broker_list' = '%s', 'kafka_topic' = '%s',
                            'property.kafka_default_offsets' = 'OFFSET_BEGINNING');
                """.formatted(job, job, PARTITIONS, broker.bootstrapServers(), topic));
        List<Process> out = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            Path config = work.resolve(job + "-" + i + ".yaml");
            Files.writeString(config, """
                    warehouse:
                      url: %s
                      user: inlet
                    api:
                      listen: 127.0.0.1:%d
                    jobs: %s
                    """.formatted(pg.jdbcUrl(), EmbeddedKafkaBroker.freePort(), jobs));
            out.add(RuntimeProcess.start(work, config, work.resolve(job + "-" + i + ".log"), Map.of()));
        }
        return out;
    }

    private static void stop(List<Process> running) throws InterruptedException {
        for (Process p : running) {
            p.destroy();
        }
        for (Process p : running) {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static long count(EmbeddedPostgres pg, String table) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String message(int i) {
        return "{\"id\":" + i + ",\"name\":\"n" + (i % 977) + "\",\"ts\":" + (1_700_000_000L + i) + "}";
    }
}
