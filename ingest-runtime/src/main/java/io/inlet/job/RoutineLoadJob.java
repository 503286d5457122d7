package io.inlet.job;

import io.inlet.sink.CommittedPosition;
import io.inlet.sink.FencedException;
import io.inlet.sink.TableSchema;
import io.inlet.sink.Warehouse;
import io.inlet.source.kafka.KafkaSource;
import io.inlet.source.kafka.SourceException;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.JobRef;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One Routine Load job at run time: its state machine, its tasks, and what SHOW reports of it.
 * State changes are persisted through the catalog before they take effect in memory.
 */
public final class RoutineLoadJob {

    private static final Logger log = LoggerFactory.getLogger(RoutineLoadJob.class);

    private final Warehouse warehouse;
    private final Consumer<JobRecord> persist;
    private final Clock clock;
    private final int maxTasks;
    private final JobStatistics statistics = new JobStatistics();
    private final ErrorLog errorLog = new ErrorLog(1000);
    private final Map<Integer, Long> lag = new ConcurrentHashMap<>();
    private final Map<Integer, Long> progress = new ConcurrentHashMap<>();
    private final List<LoadTask> tasks = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile JobRecord record;
    private volatile JobSettings settings;
    private volatile KafkaSource source;
    private volatile String otherMsg = "";
    private volatile List<Integer> partitions = List.of();

    RoutineLoadJob(JobRecord record, JobSettings settings, Warehouse warehouse, Consumer<JobRecord> persist,
                   Clock clock, int maxTasks) {
        this.record = record;
        this.warehouse = warehouse;
        this.persist = persist;
        this.clock = clock;
        this.maxTasks = maxTasks;
        use(settings);
    }

    private void use(JobSettings s) {
        this.settings = s;
        this.source = new KafkaSource(s.kafka(), "inlet_" + record.db() + "_" + record.name(), s.properties().timezone());
    }

    public long id() {
        return record.id();
    }

    public JobRef ref() {
        return new JobRef(record.db(), record.name());
    }

    public JobRecord record() {
        return record;
    }

    public JobState state() {
        return record.state();
    }

    public CreateRoutineLoad statement() {
        return settings.statement();
    }

    public JobStatistics statistics() {
        return statistics;
    }

    public ErrorLog errorLog() {
        return errorLog;
    }

    public String otherMsg() {
        return otherMsg;
    }

    public Map<Integer, Long> lag() {
        return new TreeMap<>(lag);
    }

    JobSettings settings() {
        return settings;
    }

    KafkaSource source() {
        return source;
    }

    Warehouse warehouse() {
        return warehouse;
    }

    TableSchema table() {
        return settings.table();
    }

    /** Committed offsets by partition: the next offset each partition resumes from. */
    public Map<Integer, Long> progress() {
        Map<Integer, Long> out = new TreeMap<>(progress);
        synchronized (this) {
            for (LoadTask t : tasks) {
                out.putAll(t.positions());
            }
        }
        return out;
    }

    public synchronized List<TaskView> tasks() {
        List<TaskView> out = new ArrayList<>();
        for (LoadTask t : tasks) {
            out.add(new TaskView(t.id, t.partitions, t.positions(), t.createTime, t.lastScheduled(), t.executeStart(),
                    t.message()));
        }
        return out;
    }

    /** A running task as SHOW ROUTINE LOAD TASK shows it. */
    public record TaskView(String id, List<Integer> partitions, Map<Integer, Long> offsets, Instant createTime,
                           Instant lastScheduled, Instant executeStart, String message) {}

    /**
     * Schedules the job: finds its partitions, claims them for this runtime (fencing any other),
     * and starts min(desired_concurrent_number, partitions, cap) tasks.
     */
    synchronized void start() {
        if (record.state() != JobState.NEED_SCHEDULE) {
            return;
        }
        try {
            List<Integer> found;
            try (KafkaConsumer<byte[], byte[]> c = source.newConsumer("meta")) {
                found = source.partitions(c);
            }
            this.partitions = found;
            long generation = warehouse.claim(id(), found.stream().map(String::valueOf).toList());
            Map<String, CommittedPosition> committed = warehouse.positions(id());
            statistics.reset(committed.values());
            for (CommittedPosition p : committed.values()) {
                if (p.position() != null) {
                    progress.put(Integer.parseInt(p.partition()), Long.parseLong(p.position()));
                }
            }
            int n = Math.max(1, Math.min(Math.min(settings.properties().desiredConcurrentNumber(), found.size()), maxTasks));
            List<List<Integer>> shares = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                shares.add(new ArrayList<>());
            }
            for (int i = 0; i < found.size(); i++) {
                shares.get(i % n).add(found.get(i));
            }
            for (int i = 0; i < n; i++) {
                LoadTask task = new LoadTask(this, i, shares.get(i), generation);
                Thread t = new Thread(task, "inlet-" + record.name() + "-task-" + i);
                t.setDaemon(true);
                tasks.add(task);
                threads.add(t);
            }
            transition(JobState.RUNNING, "");
            threads.forEach(Thread::start);
            log.info("job {} running: {} task(s) over partitions {} of topic {}", ref().qualified(record.db()), n,
                    found, source.topic());
        } catch (SourceException e) {
            pauseWith(e.getMessage());
        } catch (Exception e) {
            pauseWith("cannot schedule the job: " + e.getMessage());
        }
    }

    synchronized void pause(String reason) {
        if (record.state() == JobState.PAUSED || record.state().isFinal()) {
            return;
        }
        stopTasks();
        record = record.withState(JobState.PAUSED, reason, clock.instant(), null);
        persist.accept(record);
    }

    synchronized void resume() {
        record = record.withState(JobState.NEED_SCHEDULE, "", null, null);
        persist.accept(record);
    }

    synchronized void stop(JobState finalState, String reason) {
        stopTasks();
        record = record.withState(finalState, reason, record.pauseTime(), clock.instant());
        persist.accept(record);
    }

    synchronized void alter(JobSettings newSettings, String statementSql) {
        record = record.withStatement(statementSql);
        use(newSettings);
        persist.accept(record);
    }

    /** Stops this runtime's tasks without changing the persisted state (service shutdown). */
    synchronized void detach() {
        stopTasks();
    }

    private void transition(JobState state, String reason) {
        record = record.withState(state, reason, record.pauseTime(), record.endTime());
        persist.accept(record);
    }

    private synchronized void pauseWith(String reason) {
        if (record.state().isFinal()) {
            return;
        }
        log.warn("job {} paused: {}", record.name(), reason);
        stopTasks();
        record = record.withState(JobState.PAUSED, reason, clock.instant(), null);
        persist.accept(record);
    }

    private void stopTasks() {
        for (LoadTask t : tasks) {
            progress.putAll(t.positions());
            t.stop();
        }
        Thread self = Thread.currentThread();
        for (Thread t : threads) {
            if (t != self) {
                try {
                    t.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        tasks.clear();
        threads.clear();
        lag.clear();
    }

    /** Called on a task's thread, which must not wait for the job's monitor: the work moves to its own thread. */
    void taskFailed(LoadTask task, Exception e) {
        if (e instanceof FencedException) {
            otherMsg = "another Inlet runtime took over this job: " + e.getMessage();
            log.warn("job {}: {}", record.name(), otherMsg);
            new Thread(this::detach, "inlet-" + record.name() + "-fenced").start();
            return;
        }
        Exception described = LoadTask.describe(e);
        String reason = described.getMessage();
        log.warn("job {} task {} failed: {}", record.name(), task.id, reason);
        statistics.aborted();
        new Thread(() -> pauseWith(reason), "inlet-" + record.name() + "-pause").start();
    }

    void pauseForDataQuality(String reason) {
        new Thread(() -> pauseWith(reason), "inlet-" + record.name() + "-pause").start();
    }

    void committed() {
        // progress is read from the tasks when SHOW asks
    }

    void observeLag(Map<Integer, Long> observed) {
        lag.putAll(observed);
    }

    public List<Integer> partitions() {
        return partitions;
    }
}
