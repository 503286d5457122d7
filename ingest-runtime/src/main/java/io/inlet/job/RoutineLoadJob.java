package io.inlet.job;

import io.inlet.sink.CommittedPosition;
import io.inlet.sink.FencedException;
import io.inlet.sink.PositionStore;
import io.inlet.sink.TableNotFoundException;
import io.inlet.sink.TableSchema;
import io.inlet.sink.Warehouse;
import io.inlet.source.kafka.KafkaErrors;
import io.inlet.source.kafka.KafkaSource;
import io.inlet.source.kafka.SkippedRange;
import io.inlet.source.kafka.SourceException;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.JobRef;
import io.inlet.source.kafka.GroupMember;
import io.inlet.source.kafka.TopicWatches;
import io.inlet.source.kafka.GroupShares;
import io.inlet.source.kinesis.CoordinationCluster;
import io.inlet.source.kinesis.KinesisJobSource;
import io.inlet.source.kinesis.KinesisSourceException;
import io.inlet.source.kinesis.ShardGroupMember;
import io.inlet.source.kinesis.ShardInfo;
import io.inlet.source.kinesis.ShardLane;
import io.inlet.source.kinesis.ShardsChangedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Routine Load job at run time: its state machine, its tasks, and what SHOW reports of it.
 * State changes are persisted through the catalog before they take effect in memory.
 */
public final class RoutineLoadJob {

    private static final Logger log = LoggerFactory.getLogger(RoutineLoadJob.class);

    /** In ReasonOfStateChanged of a transient pause; a restarted runtime schedules such a job again. */
    static final String AUTO_RESUME_MARKER = "transient: resumes automatically";

    private final Warehouse warehouse;
    private final Consumer<JobRecord> persist;
    private final Clock clock;
    private final int maxTasks;
    private final JobStatistics statistics = new JobStatistics();
    private final ErrorLog errorLog = new ErrorLog(1000);
    private final Map<Integer, Long> lag = new ConcurrentHashMap<>();
    private final Map<Integer, Long> progress = new ConcurrentHashMap<>();
    /** Guards the tasks and threads; never held while waiting for the group member's thread. */
    private final Object taskLock = new Object();
    private final List<LoadTask<?>> tasks = new ArrayList<>();
    /** A Kinesis job's stream while the job runs on this runtime (null for Kafka jobs, and while not running). */
    private volatile KinesisJobSource kinesis;
    /** The lane of the shards this runtime's Kinesis task reads (null while it reads none); swapped under taskLock. */
    private volatile ShardLane shardLane;
    /** This runtime's member of a Kinesis job's group, when the runtime has a coordination cluster. */
    private volatile ShardGroupMember shardMember;
    /** A Kinesis job's committed positions by shard, as its last tasks left them (SHOW's Progress). */
    private final Map<String, String> shardProgress = new ConcurrentHashMap<>();
    /** This runtime's member of the job's consumer group while the job runs here. */
    private volatile GroupMember member;
    /** Counts the assignments this runtime got, for task ids. */
    private final AtomicLong assignments = new AtomicLong();
    /** The monitor's own consumer for the newest offsets, kept between ticks (monitor thread only). */
    private KafkaConsumer<byte[], byte[]> monitorConsumer;
    private KafkaSource monitorSource;
    private volatile JobRecord record;
    private volatile JobSettings settings;
    private final Object schemaLock = new Object();
    /** The warehouse's count of column changes of the table when the settings were read. */
    private volatile long columnChangesSeen;
    private volatile KafkaSource source;
    private volatile PositionStore store;
    private volatile String otherMsg = "";
    private volatile String warehouseErrorUrl;
    private final Map<String, Long> batchIntervals = new ConcurrentHashMap<>();
    private volatile List<Integer> partitions = List.of();
    private final AtomicLong newestTimestamp = new AtomicLong(Long.MIN_VALUE);
    private final JobManager manager;
    /** While the job rests on this replica: what waits for its next message ({@link #restIfQuiet}). */
    private volatile TopicWatches.Watch watch;
    /** Counts pauses: an auto-resume scheduled for one pause does nothing after another pause or a resume. */
    private long pauseSeq;
    /** Whether the current pause is a transient fault that resumes by itself. */
    private volatile boolean autoResumable;
    private volatile int autoResumeAttempts;
    private long previousLag = -1;
    private int lagGrowingTicks;
    private volatile boolean monitored;

    RoutineLoadJob(JobRecord record, JobSettings settings, Warehouse warehouse, Consumer<JobRecord> persist,
                   Clock clock, int maxTasks, JobManager manager) {
        this.manager = manager;
        this.record = record;
        this.warehouse = warehouse;
        this.persist = persist;
        this.clock = clock;
        this.maxTasks = maxTasks;
        use(settings);
    }

    private void use(JobSettings s) {
        KafkaSource previous = this.source;
        this.settings = s;
        this.columnChangesSeen = warehouse.columnChanges(s.table());
        this.source = s.readsKinesis() ? null : sourceFor(s, record, manager.replica());
        if (previous != null) {
            previous.close();
        }
    }

    /** The job's Kafka source; its consumer group defaults to {@code inlet_<db>_<job>}. */
    static KafkaSource sourceFor(JobSettings s, JobRecord record, String replica) {
        return new KafkaSource(s.kafka(), "inlet_" + record.db() + "_" + record.name(), s.properties().timezone(),
                replica);
    }

    public long id() {
        return record.id();
    }

    /** The runtime that runs this view of the job, among the replicas. */
    String replica() {
        return manager.replica();
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

    /**
     * The job's settings; read again from the table when a load found that its columns changed since (a column
     * added while the job runs: JSON without COLUMNS then fills it by name, a job with COLUMNS leaves it to its
     * default). If the table cannot be described now, the settings stay as they are and the load fails as it would.
     */
    JobSettings settings() {
        JobSettings s = settings;
        return warehouse.columnChanges(s.table()) == columnChangesSeen ? s : readSchemaAgain();
    }

    private JobSettings readSchemaAgain() {
        synchronized (schemaLock) {
            long changes = warehouse.columnChanges(settings.table());
            if (changes != columnChangesSeen) {
                columnChangesSeen = changes;
                try {
                    TableSchema table = warehouse.describe(record.db(), settings.statement().table());
                    settings = JobSettings.of(settings.statement(), table, warehouse, clock);
                    log.info("job {} read the columns of table {} again: it writes {}", record.name(),
                            table.qualifiedName(), settings.table().columns().stream().map(c -> c.name()).toList());
                } catch (TableNotFoundException | RuntimeException e) {
                    log.warn("job {} cannot read the columns of table {} again: {}", record.name(),
                            settings.table().qualifiedName(), e.getMessage());
                }
            }
            return settings;
        }
    }

    KafkaSource source() {
        return source;
    }

    Warehouse warehouse() {
        return warehouse;
    }

    /** The positions of the current scheduling (set while tasks run). */
    PositionStore positionStore() {
        return store;
    }

    TableSchema table() {
        return settings.table();
    }

    /** Committed offsets by partition: the next offset each partition resumes from. */
    public Map<Integer, Long> progress() {
        Map<Integer, Long> out = new TreeMap<>(progress);
        synchronized (taskLock) {
            for (LoadTask<?> t : tasks) {
                if (t instanceof KafkaLoadTask) {
                    out.putAll(offsets(t.positions()));
                }
            }
        }
        return out;
    }

    /** Messages the tasks have read into batches that are not committed yet. */
    public long uncommittedMessages() {
        synchronized (taskLock) {
            return tasks.stream().mapToLong(LoadTask::readInBatch).sum();
        }
    }

    private static Map<Integer, Long> offsets(Map<String, String> positions) {
        Map<Integer, Long> out = new TreeMap<>();
        positions.forEach((p, o) -> out.put(Integer.parseInt(p), Long.parseLong(o)));
        return out;
    }

    /** A Kinesis job's committed position by shard ({@code ShardPosition} form), the running task's first. */
    public Map<String, String> shardProgress() {
        Map<String, String> out = new TreeMap<>(shardProgress);
        synchronized (taskLock) {
            for (LoadTask<?> t : tasks) {
                if (t instanceof KinesisLoadTask) {
                    out.putAll(t.positions());
                }
            }
        }
        return out;
    }

    /** A Kinesis job's MillisBehindLatest by shard, as its reader last saw it. */
    public Map<String, Long> shardLag() {
        ShardLane l = shardLane;
        return l == null ? Map.of() : new TreeMap<>(l.lag());
    }

    /** A Kinesis job's shards, as its last scheduling claimed them. */
    public List<String> shards() {
        return new ArrayList<>(new java.util.TreeSet<>(shardProgress().keySet()));
    }

    public List<TaskView> tasks() {
        synchronized (taskLock) {
            List<TaskView> out = new ArrayList<>();
            for (LoadTask<?> t : tasks) {
                Map<String, String> at = t.positions();
                boolean kafka = t instanceof KafkaLoadTask;
                out.add(new TaskView(t.id, kafka ? t.partitions.stream().map(Integer::parseInt).toList() : List.of(),
                        kafka ? offsets(at) : Map.of(), t.createTime, t.lastScheduled(), t.executeStart(),
                        t.message(), manager.replica(), kafka ? Map.of() : new TreeMap<>(at)));
            }
            return out;
        }
    }

    /**
     * The tasks of the other replicas, as the job's consumer group shows their members: one per member, its
     * partitions at their committed positions (SHOW ROUTINE LOAD TASK on any replica shows the whole job).
     */
    public List<TaskView> otherReplicasTasks() {
        PositionStore s = store;
        GroupMember m = member;
        if (s == null || m == null || !record.state().isActive()) {
            return List.of();
        }
        List<TaskView> out = new ArrayList<>();
        try {
            for (GroupShares.Share share : GroupShares.describe(source)) {
                if (share.memberId().equals(m.memberId()) || share.partitions().isEmpty()) {
                    continue;
                }
                Map<Integer, Long> offsets = new TreeMap<>();
                s.counters(share.partitions().stream().map(String::valueOf).toList()).forEach((p, cp) -> {
                    if (cp.position() != null) {
                        offsets.put(Integer.parseInt(p), Long.parseLong(cp.position()));
                    }
                });
                out.add(new TaskView(share.memberId(), share.partitions(), offsets, null, null, null,
                        "loads on replica " + share.replica() + " (" + share.host() + ")", share.replica(), Map.of()));
            }
        } catch (Exception e) {
            log.debug("job {}: cannot describe the other replicas' tasks: {}", record.name(), e.toString());
        }
        return out;
    }

    /**
     * A running task as SHOW ROUTINE LOAD TASK shows it, with the replica that runs it: a Kafka task's partitions
     * and offsets, or a Kinesis task's shards and positions.
     */
    public record TaskView(String id, List<Integer> partitions, Map<Integer, Long> offsets, Instant createTime,
                           Instant lastScheduled, Instant executeStart, String message, String replica,
                           Map<String, String> shardPositions) {}

    /**
     * Schedules the job on this runtime: checks its topic, then joins the job's consumer group, whose coordinator
     * gives this runtime a share of the partitions ({@link Membership} starts the tasks for them).
     */
    synchronized void start() {
        if (record.state() != JobState.NEED_SCHEDULE) {
            return;
        }
        if (settings.readsKinesis()) {
            startKinesis();
            return;
        }
        try {
            stopTasks();
            store = warehouse.positionStore(id(), source, settings.table());
            List<Integer> found;
            try (KafkaConsumer<byte[], byte[]> c = source.newConsumer("meta")) {
                found = source.partitions(c);
                if (!store.ownsGroupOffsets()) {
                    source.checkGroupAccess(c, found.get(0)); // a store that owns them reads them when assigned
                }
            }
            this.partitions = found;
            statistics.reset(store.counters(found.stream().map(String::valueOf).toList()).values());
            progress.clear();
            member = new GroupMember(source, settings.properties().desiredConcurrentNumber(), new Membership(),
                    // thread names start with their role: the kernel keeps 15 characters, which per-thread CPU shows
                    this::offsetsSkipped, "inlet-member-" + record.name()).start();
            record = record.withState(JobState.RUNNING, "", record.pauseTime(), record.endTime());
            log.info("job {} running: a member of consumer group {} on topic {} ({} partitions)",
                    ref().qualified(record.db()), source.groupId(), source.topic(), found.size());
        } catch (SourceException e) {
            pauseWith(e.getMessage(), Faults.healsByItself(e));
        } catch (Exception e) {
            if (tableMissing()) {
                cancelForMissingTable(e.getMessage());
            } else {
                pauseWith("cannot schedule the job: " + e.getMessage(), true);
            }
        }
    }

    /**
     * Schedules a Kinesis job on this runtime. With a coordination cluster, it joins the job's consumer group, whose
     * leader gives this runtime a share of the shards ({@link ShardMembership} loads them); without one, it loads
     * every shard ({@link #loadShards}), fencing an earlier owner. A stream that is missing or may not be read
     * pauses the job with the reader's reason.
     */
    private void startKinesis() {
        KinesisJobSource opened = null;
        try {
            stopTasks();
            store = warehouse.positionStore(id(), null, settings.table());
            opened = KinesisJobSource.open(settings.kinesis(), settings.properties().timezone(),
                    "inlet-" + record.db() + "-" + record.name());
            List<ShardInfo> lineage = opened.shardLineage();
            List<String> shards = lineage.stream().map(ShardInfo::shardId).toList();
            Map<String, io.inlet.sink.CommittedPosition> counters = store.counters(shards);
            statistics.reset(counters.values());
            shardProgress.clear();
            counters.forEach((shard, cp) -> {
                if (cp.position() != null) {
                    shardProgress.put(shard, cp.position());
                }
            });
            kinesis = opened;
            opened = null;
            CoordinationCluster cluster = manager.coordination();
            if (cluster == null) {
                loadShards(shards);
                log.info("job {} running: Kinesis stream {}, shards {}", ref().qualified(record.db()),
                        kinesis.stream(), shards);
            } else {
                String group = groupId();
                KinesisJobSource source = kinesis;
                shardMember = new ShardGroupMember(cluster.consumerConfig(group, "inlet-" + group + "-member-"
                        + manager.replica()), cluster.topic(), settings.properties().desiredConcurrentNumber(),
                        source::shardLineage, new ShardMembership(), "inlet-member-" + record.name()).start();
                log.info("job {} running: a member of consumer group {} sharing the {} shards of Kinesis stream {}",
                        ref().qualified(record.db()), group, shards.size(), kinesis.stream());
            }
            record = record.withState(JobState.RUNNING, "", record.pauseTime(), record.endTime());
        } catch (KinesisSourceException e) {
            pauseWith(e.getMessage(), e.reason() == KinesisSourceException.Reason.FAILED);
        } catch (Exception e) {
            log.warn("job {}: scheduling failed", record.name(), e);
            if (tableMissing()) {
                cancelForMissingTable(String.valueOf(e));
            } else {
                pauseWith("cannot schedule the job: " + (e.getMessage() == null ? e : e.getMessage()), true);
            }
        } finally {
            if (opened != null) {
                opened.close();
            }
        }
    }

    /** The consumer group of the job: {@code inlet_<db>_<job>}, as a Kafka job's default. */
    String groupId() {
        return "inlet_" + record.db() + "_" + record.name();
    }

    /**
     * Claims {@code shards} in the position store (fencing whoever loaded them before; the job's other shards stay
     * with whoever holds them), reads their committed positions and starts one task over them.
     */
    private void loadShards(List<String> shards) throws Exception {
        long generation = store.claim(shards);
        Map<String, String> committed = new TreeMap<>();
        store.positions(shards).forEach((shard, cp) -> {
            if (cp.position() != null) {
                committed.put(shard, cp.position());
            }
        });
        ShardLane lane = kinesis.open(shards, committed, "inlet-shards-" + record.name());
        KinesisLoadTask task = new KinesisLoadTask(this, assignments.incrementAndGet(), lane.starts(), generation,
                lane, manager.slots());
        synchronized (taskLock) {
            shardLane = lane;
            tasks.add(task);
        }
        task.start();
    }

    /** Stops this runtime's Kinesis task (its batch rolls back) and its lane. */
    private void stopShardTask() {
        stopTaskThreads();
        ShardLane l;
        synchronized (taskLock) {
            l = shardLane;
            shardLane = null;
        }
        if (l != null) {
            l.close();
        }
    }

    /** The stream was resharded: the job claims its shards again and reads on from the committed positions. */
    private synchronized void claimShardsAgain() {
        if (kinesis == null || !record.state().isActive()) {
            return;
        }
        stopTasks();
        record = record.withState(JobState.NEED_SCHEDULE, "", record.pauseTime(), record.endTime());
        start();
    }

    /** What the job does when its group moves shards to or from this runtime (on the member's thread). */
    private final class ShardMembership implements ShardGroupMember.Listener {
        @Override
        public void revoked() {
            stopShardTask();
        }

        @Override
        public void assigned(List<String> shards) throws Exception {
            stopShardTask();
            if (shards.isEmpty()) {
                log.info("job {}: this runtime ({}) loads no shard of Kinesis stream {} now (other replicas do)",
                        ref().qualified(record.db()), manager.replica(), kinesis.stream());
                return;
            }
            loadShards(shards);
            log.info("job {}: this runtime ({}) loads shards {} of Kinesis stream {}", ref().qualified(record.db()),
                    manager.replica(), shards, kinesis.stream());
        }

        @Override
        public void failed(Exception cause) {
            String reason = cause instanceof KinesisSourceException ? cause.getMessage()
                    : LoadTask.describe(cause).getMessage();
            boolean transientFault = cause instanceof KinesisSourceException k
                    ? k.reason() == KinesisSourceException.Reason.FAILED : Faults.healsByItself(cause);
            new Thread(() -> RoutineLoadJob.this.failed(reason, transientFault),
                    "inlet-pause-" + record.name()).start();
        }
    }

    /** What the job does when the group moves partitions to or from this runtime (on the member's thread). */
    private final class Membership implements GroupMember.Listener {
        @Override
        public void rebalanced(ConsumerGroupMetadata group) {
            PositionStore s = store;
            if (s != null) {
                s.memberGeneration(group);
            }
        }

        @Override
        public void revoked(Set<Integer> revoked) {
            stopTaskThreads();
        }

        @Override
        public void assigned(Set<Integer> assigned, int tasksOfAssignment, GroupMember.Assignment assignment)
                throws Exception {
            stopTaskThreads();
            int taskCount = Math.min(tasksOfAssignment, maxTasks); // max-tasks-per-job caps each replica
            List<Integer> mine = assigned.stream().sorted().toList();
            List<String> names = mine.stream().map(String::valueOf).toList();
            PositionStore s = store;
            long generation = s.claim(names);
            Map<String, CommittedPosition> committed = s.positions(names);
            Map<Integer, Long> starts = new TreeMap<>();
            List<Integer> fresh = new ArrayList<>();
            for (Integer p : mine) {
                CommittedPosition cp = committed.get(String.valueOf(p));
                if (cp != null && cp.position() != null) {
                    starts.put(p, Long.parseLong(cp.position()));
                } else {
                    fresh.add(p);
                }
            }
            if (!fresh.isEmpty()) {
                starts.putAll(source.initialOffsets(assignment.consumer(), fresh));
            }
            progress.putAll(starts);
            Set<Integer> known = new java.util.TreeSet<>(partitions);
            known.addAll(mine);
            partitions = List.copyOf(known); // partitions added to the topic join the job's view
            long seq = assignments.incrementAndGet();
            synchronized (taskLock) {
                for (int i = 0; i < taskCount; i++) {
                    Map<Integer, Long> share = new TreeMap<>();
                    for (int j = i; j < mine.size(); j += taskCount) {
                        share.put(mine.get(j), starts.get(mine.get(j)));
                    }
                    tasks.add(new KafkaLoadTask(RoutineLoadJob.this, seq, i, share, generation,
                            assignment.open(share), manager.slots()));
                }
                tasks.forEach(LoadTask::start);
            }
            log.info("job {}: this runtime ({}) loads partitions {} of topic {} with {} task(s)",
                    ref().qualified(record.db()), manager.replica(), mine, source.topic(), taskCount);
        }

        @Override
        public void failed(Exception cause) {
            Exception described = LoadTask.describe(cause);
            boolean transientFault = Faults.healsByItself(cause);
            new Thread(() -> RoutineLoadJob.this.failed(described.getMessage(), transientFault),
                    "inlet-pause-" + record.name()).start();
        }
    }

    /** What the manager does after {@link #follow}. */
    enum FollowUp { NONE, SCHEDULE, AUTO_RESUME }

    /**
     * Takes on the job as another replica left it in the catalog: paused, stopped or cancelled there stops the
     * tasks here; resumed there schedules it here; an ALTER there ({@code altered}: its settings) applies here.
     */
    synchronized FollowUp follow(JobRecord persisted, JobSettings altered) {
        JobState here = record.state();
        JobState there = persisted.state();
        if (here.isFinal()) {
            return FollowUp.NONE;
        }
        if (there.isFinal() || there == JobState.PAUSED && here.isActive()) {
            log.info("job {} is {} through another replica: {}", record.name(), there, persisted.reason());
            stopTasks();
            pauseSeq++;
            autoResumable = there == JobState.PAUSED && persisted.reason() != null
                    && persisted.reason().contains(AUTO_RESUME_MARKER);
            record = persisted;
            return autoResumable ? FollowUp.AUTO_RESUME : FollowUp.NONE;
        }
        if (altered != null && here == JobState.PAUSED) {
            record = record.withStatement(persisted.statement());
            use(altered);
            progress.clear();
        }
        if (there.isActive() && here == JobState.PAUSED) {
            log.info("job {} is resumed through another replica", record.name());
            pauseSeq++;
            autoResumable = false;
            record = persisted.withState(JobState.NEED_SCHEDULE, "", null, null);
            return FollowUp.SCHEDULE;
        }
        return FollowUp.NONE;
    }

    long pauseSeq() {
        synchronized (this) {
            return pauseSeq;
        }
    }

    /** A user's pause: it stays paused, also when the job was waiting to resume by itself. */
    synchronized void pause(String reason) {
        if (record.state().isFinal() || (record.state() == JobState.PAUSED && !autoResumable)) {
            return;
        }
        stopTasks();
        pauseSeq++;
        autoResumable = false;
        record = record.withState(JobState.PAUSED, reason, clock.instant(), null);
        persist.accept(record);
    }

    /** Whether the job is paused by a transient fault and will resume by itself. */
    public boolean autoResumePending() {
        return record.state() == JobState.PAUSED && autoResumable;
    }

    synchronized void resume() {
        pauseSeq++;
        autoResumable = false;
        record = record.withState(JobState.NEED_SCHEDULE, "", null, null);
        persist.accept(record);
    }

    /** The auto-resume of pause {@code seq}: true if it applies (the job is still in that pause). */
    synchronized boolean autoResume(long seq) {
        if (seq != pauseSeq || !autoResumable || record.state() != JobState.PAUSED) {
            return false;
        }
        log.info("job {} resumes by itself after: {}", record.name(), record.reason());
        resume();
        return true;
    }

    synchronized void stop(JobState finalState, String reason) {
        stopTasks();
        pauseSeq++;
        autoResumable = false;
        record = record.withState(finalState, reason, record.pauseTime(), clock.instant());
        persist.accept(record);
    }

    /** Takes on an ALTER that the warehouse has persisted already (statement and positions together). */
    synchronized void altered(JobSettings newSettings, JobRecord persisted, Map<Integer, Long> resetPartitions) {
        record = persisted;
        use(newSettings);
        resetPartitions.keySet().forEach(progress::remove);
    }

    /** Closes the monitor's consumer; only on the monitor's thread, or once the monitor has stopped. */
    void closeMonitor() {
        if (monitorConsumer != null) {
            try {
                monitorConsumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException ignored) {
                // closing
            }
            monitorConsumer = null;
        }
    }

    /**
     * Stops this runtime's share of the job without changing the persisted state (service shutdown): its tasks
     * stop, and its member leaves the group, so that the other replicas take its partitions at once.
     */
    synchronized void detach() {
        stopTasks();
    }

    /** Running and unstable are this runtime's view of an active job; the catalog keeps it as scheduled. */
    private void transition(JobState state, String reason) {
        record = record.withState(state, reason, record.pauseTime(), record.endTime());
    }

    /**
     * Pauses after a failure. A transient one ({@code autoResume}) resumes by itself after a backoff
     * that doubles with each attempt, like Doris' auto-resume; a data-quality pause stays paused.
     */
    private synchronized void pauseWith(String reason, boolean autoResume) {
        if (record.state().isFinal() || record.state() == JobState.PAUSED) {
            return;
        }
        stopTasks();
        pauseSeq++;
        autoResumable = autoResume;
        String shown = reason;
        if (autoResume) {
            long delay = manager.backoffMillis(autoResumeAttempts++);
            shown = reason + " (" + AUTO_RESUME_MARKER + " in " + Math.max(1, delay / 1000) + " s, attempt "
                    + autoResumeAttempts + ")";
            manager.autoResumeLater(this, pauseSeq, delay);
        }
        log.warn("job {} paused: {}", record.name(), shown);
        record = record.withState(JobState.PAUSED, shown, clock.instant(), null);
        persist.accept(record);
    }

    private boolean tableMissing() {
        try {
            warehouse.describe(record.db(), settings.statement().table());
            return false;
        } catch (TableNotFoundException e) {
            return true;
        } catch (RuntimeException e) {
            return false; // the warehouse cannot tell now: a transient fault
        }
    }

    private synchronized void cancelForMissingTable(String cause) {
        if (record.state().isFinal()) {
            return;
        }
        String reason = "the target table " + settings.statement().table() + " does not exist any more: " + cause;
        log.warn("job {} cancelled: {}", record.name(), reason);
        stop(JobState.CANCELLED, reason);
    }

    /** A task's failure: cancels the job when its table is gone, else pauses it (to resume by itself if transient). */
    private void failed(String reason, boolean transientFault) {
        if (tableMissing()) {
            cancelForMissingTable(reason);
        } else {
            pauseWith(reason, transientFault);
        }
    }

    /** Leaves the group (its revoke callback stops the tasks), then closes the positions. */
    private void stopTasks() {
        GroupMember m = member;
        member = null;
        if (m != null) {
            m.close();
        }
        ShardGroupMember sm = shardMember;
        shardMember = null;
        if (sm != null) {
            stopShardTask(); // its batch rolls back before the others take its shards
            sm.close();
        }
        stopShardTask(); // every task, and a Kinesis job's lane
        KinesisJobSource k = kinesis;
        kinesis = null;
        if (k != null) {
            k.close();
        }
        lag.clear();
        batchIntervals.clear();
        closeStore();
        TopicWatches.Watch w = watch;
        watch = null;
        if (w != null) {
            w.close();
        }
    }

    /**
     * Rests a job whose partitions here have brought nothing for {@code after}: its member leaves the group (its tasks
     * settle and write their positions down) and a {@link TopicWatches} watch waits for the next message instead, so that an
     * idle job costs no heartbeats, fetches or threads but the watch's. The job stays RUNNING; the first message, a
     * partition added or any fault of the watch schedules it again. True when the job rested.
     */
    synchronized boolean restIfQuiet(Duration after) {
        if (!quiet(after)) {
            return false;
        }
        synchronized (taskLock) {
            if (tasks.isEmpty() || !tasks.stream().allMatch(LoadTask::parked)) {
                return false;
            }
        }
        stopTasks();
        closeMonitor();
        try {
            watch = manager.watches().watch(source, progress(), this::wakeFromRest);
        } catch (SourceException e) {
            wakeFromRest(); // no watch: load as before
            return false;
        }
        log.info("job {}: no new messages for {} s; it waits for the next one without a member in group {}",
                ref().qualified(record.db()), after.toSeconds(), source.groupId());
        return true;
    }

    /** Whether this replica's partitions of the running job have brought nothing for {@code after}. */
    boolean quiet(Duration after) {
        GroupMember m = member;
        return record.state() == JobState.RUNNING && m != null && !m.partitions().isEmpty()
                && m.quietMillis() >= after.toMillis();
    }

    /** Whether the job rests here, its topic watched for the next message. */
    boolean resting() {
        return watch != null;
    }

    private void wakeFromRest() {
        synchronized (this) {
            if (watch == null) {
                return; // paused, stopped or detached meanwhile
            }
            watch = null;
            if (record.state() != JobState.RUNNING) {
                return;
            }
            record = record.withState(JobState.NEED_SCHEDULE, "", record.pauseTime(), record.endTime());
        }
        log.info("job {}: new messages; it joins group {} again", ref().qualified(record.db()), source.groupId());
        manager.schedule(this);
    }

    /** Stops the tasks and waits for them: each rolls back its open batch. */
    private void stopTaskThreads() {
        List<LoadTask<?>> stopping;
        synchronized (taskLock) {
            for (LoadTask<?> t : tasks) {
                if (t instanceof KafkaLoadTask) {
                    progress.putAll(offsets(t.positions()));
                } else {
                    shardProgress.putAll(t.positions());
                }
            }
            stopping = new ArrayList<>(tasks);
            tasks.clear();
        }
        stopping.forEach(LoadTask::stop);
    }

    private void closeStore() {
        PositionStore s = store;
        store = null;
        if (s != null) {
            s.close();
        }
    }

    /** Called on a task's thread, which must not wait for the job's monitor: the work moves to its own thread. */
    void taskFailed(LoadTask<?> task, Exception e) {
        ShardGroupMember sm = shardMember;
        if (e instanceof ShardsChangedException) {
            otherMsg = e.getMessage();
            log.info("job {}: {}", record.name(), otherMsg);
            if (sm != null) {
                sm.rejoin(); // the group spreads the shards again, the new ones with their parents
            } else {
                new Thread(this::claimShardsAgain, "inlet-reclaim-" + record.name()).start();
            }
            return;
        }
        if (e instanceof FencedException && sm != null) {
            otherMsg = "shards " + task.partitions + " moved to another replica: " + e.getMessage();
            log.warn("job {}: {}; asking the group for a new assignment", record.name(), otherMsg);
            sm.rejoin();
            return;
        }
        if (e instanceof FencedException) {
            otherMsg = "partitions " + task.partitions + " moved to another replica: " + e.getMessage();
            log.warn("job {}: {}; asking the group for a new assignment", record.name(), otherMsg);
            GroupMember m = member;
            if (m != null) {
                m.rejoin(); // the rebalance stops this task and starts those of the new assignment
            }
            return;
        }
        Exception described = LoadTask.describe(e);
        String reason = described.getMessage();
        log.warn("job {} task {} failed: {}", record.name(), task.id, reason);
        statistics.aborted();
        boolean transientFault = Faults.healsByItself(e);
        new Thread(() -> failed(reason, transientFault), "inlet-pause-" + record.name()).start();
    }

    /** A range its out-of-range policy skipped: in the log, the error log and SHOW's OtherMsg. */
    void offsetsSkipped(SkippedRange range) {
        String what = range.describe();
        log.warn("job {}: {}", record.name(), what);
        errorLog.add(String.valueOf(range.partition()), range.from(), what, null);
        otherMsg = what;
    }

    /**
     * A task's batch interval after version pressure from the warehouse ({@code reason}), or after it
     * eased back (null reason). SHOW shows the longest interval of the tasks.
     */
    void batchIntervalRaised(LoadTask<?> task, long intervalMillis, String reason) {
        batchIntervals.put(task.id, intervalMillis);
        if (reason != null) {
            otherMsg = "the warehouse reports version pressure; batch interval raised to " + intervalMillis / 1000
                    + " s: " + reason;
        } else if (batchIntervalMillis() <= settings.properties().maxBatchIntervalSeconds() * 1000) {
            otherMsg = "";
        }
    }

    /** The longest current batch interval of the tasks: the configured one unless version pressure raised it. */
    public long batchIntervalMillis() {
        long configured = settings.properties().maxBatchIntervalSeconds() * 1000;
        return batchIntervals.values().stream().mapToLong(Long::longValue).max().orElse(configured);
    }

    /** Where the warehouse keeps the rows it filtered from the latest batch that had any. */
    void warehouseErrorUrl(String url) {
        warehouseErrorUrl = url;
    }

    public String warehouseErrorUrl() {
        return warehouseErrorUrl;
    }

    void pauseForDataQuality(String reason) {
        new Thread(() -> pauseWith(reason, false), "inlet-pause-" + record.name()).start();
    }

    void committed() {
        // progress is read from the tasks when SHOW asks; a commit ends a series of transient faults. No lock: a stop
        // holds the job's monitor while it waits for the tasks, and a task that commits meanwhile must not wait for it
        autoResumeAttempts = 0;
    }

    /** Takes on the row totals of every replica's commits, as the position store has them (SHOW on any replica). */
    /**
     * The job's totals over every replica, as SHOW ROUTINE LOAD shows them: the position store's sums over all
     * partitions, read when asked (at most every {@value #TOTALS_EVERY_MILLIS} ms), raise this replica's counts.
     */
    JobStatistics totalsOverReplicas() {
        long now = System.currentTimeMillis();
        if (now - totalsReadAt >= TOTALS_EVERY_MILLIS) {
            totalsReadAt = now;
            refreshTotals();
        }
        return statistics;
    }

    private static final long TOTALS_EVERY_MILLIS = 2_000;
    private volatile long totalsReadAt;

    private void refreshTotals() {
        PositionStore s = store;
        if (s == null || !record.state().isActive()) {
            return;
        }
        try {
            Map<String, io.inlet.sink.CommittedPosition> counters = s.counters(settings.readsKinesis() ? shards()
                    : partitions.stream().map(String::valueOf).toList());
            statistics.atLeast(counters.values());
            if (shardMember != null) {
                // the shards other replicas load: their committed positions, for Progress on this replica too
                Set<String> here = new java.util.HashSet<>(shardMember.shards());
                counters.forEach((shard, cp) -> {
                    if (cp.position() != null && !here.contains(shard)) {
                        shardProgress.put(shard, cp.position());
                    }
                });
            }
        } catch (Exception e) {
            log.debug("job {}: cannot read the totals of the other replicas: {}", record.name(), e.toString());
        }
    }

    /** This runtime's member of the job's group, while the job runs here. */
    GroupMember member() {
        return member;
    }

    /**
     * For freshness: the newest message timestamp (epoch millis) of a committed batch. LoadTask calls
     * it after each commit.
     */
    void observeFreshness(long maxTimestampMillis) {
        newestTimestamp.accumulateAndGet(maxTimestampMillis, Math::max);
    }

    /** Seconds since the newest loaded message was produced, or NaN before the first commit. */
    public double freshnessSeconds() {
        long newest = newestTimestamp.get();
        return newest == Long.MIN_VALUE ? Double.NaN : Math.max(0, clock.millis() - newest) / 1000.0;
    }

    /**
     * The monitor's tick (never on a task thread): reads the newest offsets from the broker, which
     * keeps Lag current and notices an unreachable broker (a transient pause), and moves a job whose
     * lag keeps growing beyond the threshold to UNSTABLE and back.
     */
    void monitor(Duration timeout, long unstableThreshold) {
        if (settings.readsKinesis()) {
            return; // a Kinesis job's lag is its reader's MillisBehindLatest, and a failed read pauses it
        }
        JobState state = record.state();
        if (state != JobState.RUNNING && state != JobState.UNSTABLE) {
            previousLag = -1;
            lagGrowingTicks = 0;
            closeMonitor();
            return;
        }
        List<Integer> parts;
        Map<Integer, Long> latest = new TreeMap<>();
        try {
            if (monitorConsumer == null || monitorSource != source) {
                closeMonitor();
                monitorSource = source;
                monitorConsumer = source.newConsumer("monitor");
            }
            parts = source.partitions(monitorConsumer); // partitions added to the topic join the job's view
            partitions = parts;
            List<TopicPartition> tps = parts.stream().map(p -> new TopicPartition(source.topic(), p)).toList();
            monitorConsumer.endOffsets(tps, timeout).forEach((tp, o) -> latest.put(tp.partition(), o));
        } catch (SourceException e) {
            closeMonitor();
            if (record.state() == JobState.RUNNING || record.state() == JobState.UNSTABLE) {
                pauseWith(e.getMessage(), Faults.healsByItself(e));
            }
            return;
        } catch (RuntimeException e) {
            closeMonitor();
            if (record.state() == JobState.RUNNING || record.state() == JobState.UNSTABLE) {
                pauseWith(KafkaErrors.describe("the Kafka broker is unreachable", e).getMessage(), Faults.healsByItself(e));
            }
            return;
        }
        monitored = true;
        Map<Integer, Long> done = progress();
        long total = 0;
        for (Map.Entry<Integer, Long> e : latest.entrySet()) {
            Long next = done.get(e.getKey());
            if (next != null) {
                long l = Math.max(0, e.getValue() - next);
                lag.put(e.getKey(), l);
                total += l;
            }
        }
        if (unstableThreshold <= 0) {
            return;
        }
        if (total > unstableThreshold && total >= previousLag && previousLag >= 0) {
            lagGrowingTicks++;
        } else if (total <= unstableThreshold) {
            lagGrowingTicks = 0;
        }
        previousLag = total;
        if (lagGrowingTicks >= 2 && state == JobState.RUNNING) {
            setRunningState(JobState.RUNNING, JobState.UNSTABLE, "the lag of " + total
                    + " messages keeps growing beyond the threshold of " + unstableThreshold);
        } else if (total <= unstableThreshold && state == JobState.UNSTABLE) {
            setRunningState(JobState.UNSTABLE, JobState.RUNNING, "");
        }
    }

    private synchronized void setRunningState(JobState from, JobState to, String reason) {
        if (record.state() == from) {
            log.info("job {} is {}{}", record.name(), to, reason.isEmpty() ? "" : ": " + reason);
            transition(to, reason);
        }
    }

    /** The tasks' view of lag (their fetch positions); once the monitor reads the broker, its view wins. */
    void observeLag(Map<Integer, Long> observed) {
        if (!monitored) {
            lag.putAll(observed);
        }
    }

    public List<Integer> partitions() {
        return partitions;
    }
}
