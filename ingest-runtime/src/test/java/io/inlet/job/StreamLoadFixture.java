package io.inlet.job;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.sink.streamload.StreamLoadWarehouse;
import io.inlet.sql.JobRef;
import io.inlet.streamload.StreamLoadConfig;
import io.inlet.streamload.testserver.StreamLoadTestServer;
import io.inlet.testkit.Await;
import io.inlet.testkit.MemoryJobCatalog;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runtimes of Inlet over a Stream Load test server and a Kafka broker, sharing one job catalog (a
 * restart or a second replica is another runtime), for end-to-end job tests. Closing it closes
 * every runtime it made and the server; the broker belongs to the test class.
 */
final class StreamLoadFixture implements AutoCloseable {

    static final String DB = "example_db";
    private static final AtomicInteger TOPICS = new AtomicInteger();

    final EmbeddedKafkaBroker broker;
    final StreamLoadTestServer server;
    final MemoryJobCatalog catalog = new MemoryJobCatalog();
    private final List<JobManager> runtimes = new ArrayList<>();

    StreamLoadFixture(EmbeddedKafkaBroker broker, StreamLoadTestServer server) {
        this.broker = broker;
        this.server = server;
    }

    /** A runtime against the server with its default client configuration. */
    JobManager runtime() {
        return runtime(server.clientConfig(DB, "_").build());
    }

    JobManager runtime(StreamLoadConfig config) {
        JobManager jobs = new JobManager(new StreamLoadWarehouse(config, catalog), DB, Clock.systemUTC(), 8);
        runtimes.add(jobs);
        return jobs;
    }

    /** A new topic, unique to the test. */
    String topic(String base, int partitions) {
        String t = base + "_" + TOPICS.incrementAndGet() + "_" + System.nanoTime();
        broker.createTopic(t, partitions);
        return t;
    }

    static RoutineLoadJob job(JobManager jobs, String name) {
        return jobs.findAny(new JobRef(DB, name)).orElseThrow();
    }

    void awaitRows(JobManager jobs, String table, long rows) {
        Await.until(Duration.ofSeconds(60), () -> server.rowCount(DB, table) >= rows,
                () -> table + " to hold " + rows + " rows; has " + server.rowCount(DB, table) + "; jobs "
                        + jobs.jobs().stream().map(j -> j.record().name() + " " + j.state() + " " + j.record().reason()
                        + " " + j.otherMsg()).toList());
    }

    /** SHOW ROUTINE LOAD FOR the job: column → value. */
    static Map<String, String> show(JobManager jobs, String name) throws Exception {
        SqlResult r = jobs.execute("SHOW ROUTINE LOAD FOR " + name);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < r.columns().size(); i++) {
            m.put(r.columns().get(i), String.valueOf(r.rows().get(0).get(i)));
        }
        return m;
    }

    @Override
    public void close() {
        runtimes.forEach(JobManager::close);
        server.close();
    }
}
