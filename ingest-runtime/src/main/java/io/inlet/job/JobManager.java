package io.inlet.job;

import io.inlet.expr.EvalContext;
import io.inlet.expr.ExprCompiler;
import io.inlet.expr.ExprException;
import io.inlet.sink.TableNotFoundException;
import io.inlet.sink.TableSchema;
import io.inlet.sink.UnsupportedColumnException;
import io.inlet.sink.PositionStore;
import io.inlet.sink.Warehouse;
import io.inlet.source.kafka.KafkaSource;
import io.inlet.sql.AlterRoutineLoad;
import io.inlet.sql.ColumnMapping;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.JobRef;
import io.inlet.sql.LoadDescription;
import io.inlet.sql.PauseRoutineLoad;
import io.inlet.sql.ResumeRoutineLoad;
import io.inlet.sql.ShowRoutineLoad;
import io.inlet.sql.ShowRoutineLoadTask;
import io.inlet.sql.SqlParser;
import io.inlet.sql.StatementException;
import io.inlet.sql.Statement;
import io.inlet.sql.StopRoutineLoad;
import io.inlet.transform.MappingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.inlet.sql.KafkaPropertyDefs;
import io.inlet.sql.KafkaSourceProperties;
import io.inlet.sql.KinesisPropertyDefs;
import io.inlet.source.kafka.TopicWatches;
import io.inlet.source.kinesis.CoordinationCluster;
import io.inlet.source.kinesis.ShardPosition;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The jobs of one runtime: executes Routine Load statements, persists every change in the
 * warehouse's catalog before applying it, and restores the jobs after a restart.
 */
public final class JobManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobManager.class);
    /** {@link io.inlet.sink.Warehouse#kind()} of the Stream Load warehouses, which Kinesis jobs do not load yet. */
    private static final java.util.Set<String> STREAM_LOAD_KINDS = java.util.Set.of("starrocks", "doris");

    private final Warehouse warehouse;
    private final String defaultDb;
    private final Clock clock;
    private final int maxTasksPerJob;
    private final List<RoutineLoadJob> jobs = new CopyOnWriteArrayList<>();
    /**
     * Starts jobs: joining a group, reading positions and opening a job's clients take a few round trips to the broker,
     * so several jobs start at once (a runtime of hundreds of jobs would otherwise take minutes to start them).
     */
    private final ExecutorService scheduler = Executors.newFixedThreadPool(SCHEDULER_THREADS, new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "inlet-scheduler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });
    private static final int SCHEDULER_THREADS = 4;
    /**
     * Rests idle jobs (and, at shutdown, stops them): a member leaving its group and a watch starting wait on the
     * broker more than they compute, so many go at once; threads come and go with the work.
     */
    private final ThreadPoolExecutor changes = new ThreadPoolExecutor(CHANGE_THREADS, CHANGE_THREADS, 30,
            TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "inlet-job-change");
                t.setDaemon(true);
                return t;
            });
    private static final int CHANGE_THREADS = 16;
    /** How long a job's partitions bring nothing before it rests ({@link RoutineLoadJob#restIfQuiet}). */
    private volatile Duration restAfter = Duration.ofSeconds(30);
    private volatile Function<RoutineLoadJob, String> errorLogUrls = job -> null;
    /** Auto-resumes and the per-job monitor (broker reachability, lag, UNSTABLE). */
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "inlet-monitor");
        t.setDaemon(true);
        return t;
    });
    private volatile long unstableLagThreshold = 1_000_000;
    private volatile Duration backoffMin = Duration.ofSeconds(5);
    private volatile Duration backoffMax = Duration.ofMinutes(5);
    private volatile Duration sourceTimeout = Duration.ofSeconds(10);
    private volatile boolean monitorStarted;
    private volatile boolean following;
    private final String replica;
    private final TaskSlots slots;
    /** Resting jobs' watches for their next messages, one consumer per cluster. */
    private final TopicWatches watches = new TopicWatches();
    private volatile CoordinationCluster coordination;

    public JobManager(Warehouse warehouse, String defaultDb, Clock clock, int maxTasksPerJob) {
        this(warehouse, defaultDb, clock, maxTasksPerJob, defaultReplicaName());
    }

    /**
     * @param replica this runtime's name among the replicas that share the warehouse's jobs: SHOW ROUTINE LOAD TASK
     *                shows it, and the job's writers of consumer-group offsets carry it
     */
    public JobManager(Warehouse warehouse, String defaultDb, Clock clock, int maxTasksPerJob, String replica) {
        this.replica = replica;
        this.warehouse = warehouse;
        this.defaultDb = defaultDb;
        this.clock = clock;
        this.maxTasksPerJob = maxTasksPerJob;
        this.slots = new TaskSlots(warehouse.concurrentBatches());
        changes.allowCoreThreadTimeOut(true);
    }

    /**
     * The Kafka cluster where this runtime's Kinesis jobs share their shards with the other replicas, one consumer
     * group per job (the runtime's {@code catalog.kafka.*}); null (the default): each replica that schedules a
     * Kinesis job claims all of its shards, which suits one replica.
     */
    public JobManager coordination(CoordinationCluster cluster) {
        this.coordination = cluster;
        return this;
    }

    /** Where Kinesis jobs' replicas form their groups; null without one. */
    CoordinationCluster coordination() {
        return coordination;
    }

    /**
     * A job whose total lag (messages) stays above this and keeps growing is UNSTABLE; 0 turns it off.
     */
    public JobManager unstableLagThreshold(long messages) {
        this.unstableLagThreshold = messages;
        return this;
    }

    /** How long a job's partitions on this runtime bring nothing before the job rests here (the monitor rests it). */
    public JobManager restAfter(Duration quiet) {
        this.restAfter = quiet;
        return this;
    }

    /** The first and the longest wait before a job paused by a transient fault resumes by itself. */
    public JobManager autoResumeBackoff(Duration min, Duration max) {
        this.backoffMin = min;
        this.backoffMax = max;
        return this;
    }

    /**
     * Starts the monitor: every {@code interval} each running job reads the broker's newest offsets
     * (within {@code sourceTimeout}), which keeps Lag current, notices an unreachable broker and
     * decides UNSTABLE.
     */
    public synchronized JobManager monitor(Duration interval, Duration sourceTimeout) {
        this.sourceTimeout = sourceTimeout;
        if (!monitorStarted) {
            monitorStarted = true;
            timers.scheduleWithFixedDelay(this::monitorTick, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void monitorTick() {
        for (RoutineLoadJob job : jobs) {
            try {
                if (job.resting()) {
                    continue; // its watch tells when it has messages again
                }
                Duration after = restAfter;
                if (job.quiet(after)) {
                    changes.execute(() -> job.restIfQuiet(after)); // a member's leaving takes round trips
                    continue;
                }
                job.monitor(sourceTimeout, unstableLagThreshold);
            } catch (RuntimeException e) {
                log.warn("monitoring job {} failed: {}", name(job), e.toString());
            }
        }
    }

    /** {@code host:pid}, and a few random characters so that two runtimes in one process differ too. */
    public static String defaultReplicaName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid() + ":"
                + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    }

    /** This runtime's name among the replicas. */
    public String replica() {
        return replica;
    }

    /** The batch slots every job's tasks take turns on. */
    TaskSlots slots() {
        return slots;
    }

    /**
     * Follows the catalog every {@code interval}: jobs created, paused, resumed, altered or stopped through
     * another replica's API take effect here too.
     */
    public synchronized JobManager followCatalog(Duration interval) {
        if (!following) {
            following = true;
            timers.scheduleWithFixedDelay(this::followTick, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void followTick() {
        try {
            follow();
        } catch (Exception e) {
            log.warn("reading the job catalog failed: {}", e.toString());
        }
    }

    /** Takes on the catalog's jobs and states as another replica left them. */
    synchronized void follow() throws Exception {
        List<JobRecord> records = warehouse.catalog().all();
        java.util.Set<Long> ids = new java.util.HashSet<>();
        records.forEach(r -> ids.add(r.id()));
        for (RoutineLoadJob gone : jobs) {
            if (!ids.contains(gone.id())) { // withdrawn: a create that lost to another replica's of the same name
                gone.detach();
                jobs.remove(gone);
            }
        }
        for (JobRecord r : records) {
            RoutineLoadJob job = jobs.stream().filter(j -> j.id() == r.id()).findFirst().orElse(null);
            if (job == null) {
                JobSettings settings;
                try {
                    settings = settingsFor((CreateRoutineLoad) SqlParser.parse(r.statement()), r.db());
                } catch (RuntimeException e) {
                    log.warn("job {}.{} of the catalog cannot run here: {}", r.db(), r.name(), e.getMessage());
                    continue;
                }
                RoutineLoadJob added = newJob(r.state().isActive() ? r.withState(JobState.NEED_SCHEDULE, "", null,
                        null) : r, settings);
                jobs.add(added);
                log.info("job {} created through another replica", name(added));
                if (added.state() == JobState.NEED_SCHEDULE) {
                    schedule(added);
                }
                continue;
            }
            JobSettings altered = null;
            if (!r.statement().equals(job.record().statement())) {
                try {
                    altered = settingsFor((CreateRoutineLoad) SqlParser.parse(r.statement()), r.db());
                } catch (RuntimeException e) {
                    log.warn("job {} was altered through another replica, but cannot run here: {}", name(job),
                            e.getMessage());
                }
            }
            switch (job.follow(r, altered)) {
                case SCHEDULE -> schedule(job);
                case AUTO_RESUME -> autoResumeLater(job, job.pauseSeq(), backoffMillis(0));
                case NONE -> { }
            }
        }
    }

    long backoffMillis(int attempt) {
        long min = Math.max(1, backoffMin.toMillis());
        long delay = min << Math.min(attempt, 20);
        return Math.min(delay, Math.max(min, backoffMax.toMillis()));
    }

    /**
     * Completes once every auto-resume scheduled so far has come due, and resumed its job or found it
     * resumed, paused by a user or stopped in the meantime. Timers run in the order they come due, and none
     * is scheduled further ahead than the longest backoff.
     */
    Future<?> autoResumesScheduledSoFar() {
        return timers.schedule(() -> { }, Math.max(backoffMin.toMillis(), backoffMax.toMillis()), TimeUnit.MILLISECONDS);
    }

    void autoResumeLater(RoutineLoadJob job, long pauseSeq, long delayMillis) {
        try {
            timers.schedule(() -> {
                synchronized (this) {
                    if (job.autoResume(pauseSeq)) {
                        schedule(job);
                    }
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("shutting down: no auto-resume of job {}", name(job));
        }
    }

    /** How SHOW names the URL of a job's error rows (the API sets it once it listens). */
    public void errorLogUrls(Function<RoutineLoadJob, String> urls) {
        this.errorLogUrls = urls;
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    /** Loads every job from the catalog and schedules those that were running. */
    public synchronized void restore() throws Exception {
        for (JobRecord r : warehouse.catalog().all()) {
            if (jobs.stream().anyMatch(j -> j.id() == r.id())) {
                continue; // taken on already by a follow of the catalog that ran first
            }
            JobSettings settings;
            try {
                settings = settingsFor((CreateRoutineLoad) SqlParser.parse(r.statement()), r.db());
            } catch (JobException | StatementException | ClassCastException e) {
                JobRecord cancelled = r.state().isFinal() ? r : r.withState(JobState.CANCELLED, e.getMessage(), r.pauseTime(), clock.instant());
                warehouse.catalog().update(cancelled);
                log.warn("job {}.{} cannot be restored: {}", r.db(), r.name(), e.getMessage());
                continue;
            }
            JobRecord restored = r;
            boolean waitingToResume = r.state() == JobState.PAUSED && r.reason() != null
                    && r.reason().contains(RoutineLoadJob.AUTO_RESUME_MARKER);
            if (r.state() == JobState.RUNNING || r.state() == JobState.UNSTABLE || waitingToResume) {
                restored = r.withState(JobState.NEED_SCHEDULE, "", null, null);
                warehouse.catalog().update(restored);
            }
            RoutineLoadJob job = newJob(restored, settings);
            jobs.add(job);
            if (restored.state() == JobState.NEED_SCHEDULE) {
                schedule(job);
            }
        }
    }

    /** Applies a file of statements at start: a CREATE for a job that already exists is skipped. */
    public void applyScript(String script) throws Exception {
        for (Statement st : SqlParser.parseScript(script)) {
            if (st instanceof CreateRoutineLoad c && find(c.job()).isPresent()) {
                log.info("job {} exists already; its CREATE in the jobs file is skipped", c.job().qualified(defaultDb));
                continue;
            }
            try {
                execute(st);
            } catch (JobException e) {
                if (!(st instanceof CreateRoutineLoad c)) {
                    throw e;
                }
                follow(); // another replica applying the same file created it a moment before
                if (find(c.job()).isEmpty()) {
                    throw e;
                }
                log.info("job {} was created by another replica; its CREATE in the jobs file is skipped",
                        c.job().qualified(defaultDb));
            }
        }
    }

    public SqlResult execute(String sql) throws Exception {
        return execute(SqlParser.parse(sql));
    }

    public synchronized SqlResult execute(Statement statement) throws Exception {
        if (statement instanceof CreateRoutineLoad c) {
            return create(c);
        } else if (statement instanceof PauseRoutineLoad p) {
            return pause(p);
        } else if (statement instanceof ResumeRoutineLoad r) {
            return resume(r);
        } else if (statement instanceof StopRoutineLoad s) {
            return stop(s);
        } else if (statement instanceof AlterRoutineLoad a) {
            return alter(a);
        } else if (statement instanceof ShowRoutineLoad s) {
            return show(s);
        } else if (statement instanceof ShowRoutineLoadTask t) {
            return showTasks(t);
        }
        throw new JobException("unsupported statement " + statement.getClass().getSimpleName());
    }

    private SqlResult create(CreateRoutineLoad c) throws Exception {
        String db = c.job().db() == null ? defaultDb : c.job().db();
        if (find(c.job()).isPresent()) {
            throw new JobException("routine load job " + db + "." + c.job().name() + " already exists; "
                    + "STOP it first or choose another name");
        }
        CreateRoutineLoad normalized = new CreateRoutineLoad(new JobRef(db, c.job().name()), c.table(), c.load(),
                c.jobProperties(), c.sourceType(), c.sourceProperties());
        JobSettings settings = settingsFor(normalized, db);
        JobRecord record;
        for (int attempt = 1; ; attempt++) {
            record = new JobRecord(warehouse.catalog().nextJobId(), db, c.job().name(), normalized.toSql(),
                    JobState.NEED_SCHEDULE, "", clock.instant(), null, null);
            try {
                warehouse.catalog().insert(record);
                break;
            } catch (JobIdTakenException e) {
                if (attempt == 5) {
                    throw e;
                }
                log.info("{}; trying the next id", e.getMessage());
            }
        }
        RoutineLoadJob job = newJob(record, settings);
        jobs.add(job);
        schedule(job);
        return SqlResult.ok("routine load job " + db + "." + c.job().name() + " created with id " + record.id());
    }

    private JobSettings settingsFor(CreateRoutineLoad c, String db) {
        if (JobSettings.KINESIS.equals(c.sourceType()) && STREAM_LOAD_KINDS.contains(warehouse.kind())) {
            throw new JobException("FROM KINESIS into a Stream Load warehouse (" + warehouse.kind() + ") is not "
                    + "supported yet; Kinesis jobs load JDBC warehouses (PostgreSQL, DuckDB)");
        } else if (!"KAFKA".equals(c.sourceType()) && !JobSettings.KINESIS.equals(c.sourceType())) {
            throw new JobException("data source " + c.sourceType() + " is not supported; use FROM KAFKA or FROM"
                    + " KINESIS");
        }
        checkExpressions(c.load());
        TableSchema table;
        try {
            table = warehouse.describe(db, c.table());
        } catch (TableNotFoundException | UnsupportedColumnException e) {
            throw new JobException(e.getMessage());
        }
        try {
            return JobSettings.of(c, table, warehouse, clock);
        } catch (ExprException e) {
            throw located(e.reason(), e.line(), e.column(), e);
        } catch (MappingException e) {
            throw located(e.getMessage(), e.line(), e.column(), e);
        } catch (IllegalArgumentException e) {
            throw new JobException(e.getMessage());
        }
    }

    /**
     * Compiles COLUMNS and WHERE as if every name were a column: an unknown function, a wrong number of arguments
     * or a bad constant is reported where it stands before the warehouse is asked for the table.
     */
    private void checkExpressions(LoadDescription load) {
        EvalContext anyZone = new EvalContext(ZoneOffset.UTC, clock);
        try {
            for (ColumnMapping m : load.columns()) {
                if (m.expr() != null) {
                    ExprCompiler.compile(m.expr(), name -> 0, anyZone);
                }
            }
            if (load.where() != null) {
                ExprCompiler.compile(load.where(), name -> 0, anyZone);
            }
        } catch (ExprException e) {
            throw located(e.reason(), e.line(), e.column(), e);
        }
    }

    /** A fault of the statement, with its line and column where they are known. */
    private static RuntimeException located(String reason, int line, int column, RuntimeException cause) {
        return line > 0 ? new StatementException(line, column, reason) : new JobException(cause.getMessage());
    }

    private RoutineLoadJob newJob(JobRecord record, JobSettings settings) {
        return new RoutineLoadJob(record, settings, warehouse, this::persist, clock, maxTasksPerJob, this);
    }

    private void persist(JobRecord r) {
        try {
            warehouse.catalog().update(r);
        } catch (Exception e) {
            throw new IllegalStateException("cannot persist the state of job " + r.name() + ": " + e.getMessage(), e);
        }
    }

    /** Starts the job on a scheduler thread (also a job that woke from rest). */
    void schedule(RoutineLoadJob job) {
        scheduler.execute(job::start);
    }

    private SqlResult pause(PauseRoutineLoad p) {
        for (RoutineLoadJob job : targets(p.job(), p.all(), "paused")) {
            if (job.state() == JobState.PAUSED && !job.autoResumePending()) {
                if (!p.all()) {
                    throw new JobException("routine load job " + name(job) + " is already PAUSED");
                }
                continue;
            }
            job.pause("paused by user");
        }
        return SqlResult.ok("paused");
    }

    private SqlResult resume(ResumeRoutineLoad r) {
        for (RoutineLoadJob job : targets(r.job(), r.all(), "resumed")) {
            if (job.state() != JobState.PAUSED) {
                if (!r.all()) {
                    throw new JobException("routine load job " + name(job) + " is " + job.state()
                            + "; only a PAUSED job can be resumed");
                }
                continue;
            }
            job.resume();
            schedule(job);
        }
        return SqlResult.ok("resumed");
    }

    private SqlResult stop(StopRoutineLoad s) {
        RoutineLoadJob job = requireActive(s.job(), "stopped");
        job.stop(JobState.STOPPED, "stopped by user");
        return SqlResult.ok("stopped");
    }

    private SqlResult alter(AlterRoutineLoad a) throws Exception {
        RoutineLoadJob job = requireActive(a.job(), "altered");
        if (job.state() != JobState.PAUSED || job.autoResumePending()) {
            throw new JobException("routine load job " + name(job) + " is " + (job.autoResumePending()
                    ? "PAUSED by a transient fault and resumes by itself" : job.state())
                    + "; PAUSE it before ALTER ROUTINE LOAD");
        }
        CreateRoutineLoad altered;
        try {
            altered = job.statement().merge(a);
        } catch (IllegalArgumentException e) {
            throw new JobException(e.getMessage());
        }
        JobSettings settings = settingsFor(altered, job.record().db());
        if (settings.readsKinesis()) {
            return alterKinesis(job, a, altered, settings);
        }
        Map<Integer, Long> reset = resetPositions(a, settings.kafka());
        Map<String, String> positions = new LinkedHashMap<>();
        reset.forEach((p, o) -> positions.put(String.valueOf(p), o == null ? null : String.valueOf(o)));
        JobRecord updated = job.record().withStatement(altered.toSql());
        try (KafkaSource source = RoutineLoadJob.sourceFor(settings, job.record(), replica);
             PositionStore store = warehouse.positionStore(job.id(), source, settings.table())) {
            warehouse.alter(updated, store, positions);
        }
        job.altered(settings, updated, reset);
        return SqlResult.ok("altered" + (reset.isEmpty() ? "" : "; partitions " + reset.keySet()
                + " start from their kafka_offsets after RESUME"));
    }

    /**
     * ALTER of a Kinesis job: with {@code kinesis_shards_pos}, each listed shard resumes at its new position (a
     * sequence number, a time, TRIM_HORIZON or LATEST) after RESUME; the other shards keep theirs.
     */
    private SqlResult alterKinesis(RoutineLoadJob job, AlterRoutineLoad a, CreateRoutineLoad altered,
                                   JobSettings settings) throws Exception {
        Map<String, String> positions = new LinkedHashMap<>();
        boolean moves = a.sourceProperties().items().stream()
                .anyMatch(p -> KinesisPropertyDefs.POSITIONS.equals(KinesisPropertyDefs.canonical(p.key())));
        if (moves) {
            settings.kinesis().shardPositions().forEach((shard, text) -> positions.put(shard,
                    ShardPosition.parse(text, settings.properties().timezone()).toString()));
        }
        JobRecord updated = job.record().withStatement(altered.toSql());
        try (PositionStore store = warehouse.positionStore(job.id(), null, settings.table())) {
            warehouse.alter(updated, store, positions);
        }
        job.altered(settings, updated, Map.of());
        return SqlResult.ok("altered" + (positions.isEmpty() ? "" : "; shards " + positions.keySet()
                + " start from their kinesis_shards_pos after RESUME"));
    }

    /**
     * The partitions whose committed position an ALTER replaces: each partition of kafka_partitions
     * when the ALTER gives kafka_offsets, with a numeric offset, or null for OFFSET_BEGINNING,
     * OFFSET_END or a time, which LoadTask resolves from the altered job's kafka_offsets at RESUME.
     */
    private static Map<Integer, Long> resetPositions(AlterRoutineLoad a, KafkaSourceProperties kafka) {
        Map<Integer, Long> out = new LinkedHashMap<>();
        if (!a.sourceProperties().contains(KafkaPropertyDefs.OFFSETS)) {
            return out;
        }
        for (int i = 0; i < kafka.partitions().size() && i < kafka.offsets().size(); i++) {
            String spec = kafka.offsets().get(i);
            out.put(kafka.partitions().get(i), spec != null && spec.matches("\\d+") ? Long.valueOf(spec) : null);
        }
        return out;
    }

    private SqlResult show(ShowRoutineLoad s) {
        List<RoutineLoadJob> selected = new ArrayList<>();
        for (RoutineLoadJob job : jobs) {
            boolean visible = s.all() || !job.state().isFinal() || s.state() != null;
            boolean matches = s.job() == null ? (s.dbFrom() == null || s.dbFrom().equalsIgnoreCase(job.record().db()))
                    : matches(job, s.job());
            boolean inState = s.state() == null || s.state().equalsIgnoreCase(job.state().name());
            if (visible && matches && inState) {
                selected.add(job);
            }
        }
        Comparator<RoutineLoadJob> order = orderBy(s.orderBy());
        selected.sort(s.descending() ? order.reversed() : order);
        List<List<String>> rows = new ArrayList<>();
        long skip = Math.max(0, s.offset());
        for (RoutineLoadJob job : selected) {
            if (skip > 0) {
                skip--;
                continue;
            }
            if (s.limit() >= 0 && rows.size() >= s.limit()) {
                break;
            }
            rows.add(JobViews.jobRow(job, errorLogUrls.apply(job)));
        }
        if (s.job() != null && selected.isEmpty() && s.state() == null) {
            throw new JobException("routine load job " + s.job().qualified(defaultDb) + " does not exist"
                    + (s.all() ? "" : " or is not active (SHOW ALL ROUTINE LOAD lists stopped and cancelled jobs)"));
        }
        return SqlResult.table(JobViews.JOB_COLUMNS, rows);
    }

    /** StarRocks' ORDER BY fields of SHOW ROUTINE LOAD; nulls (no pause or end time) first. */
    private static Comparator<RoutineLoadJob> orderBy(String field) {
        Comparator<RoutineLoadJob> byId = Comparator.comparingLong(RoutineLoadJob::id);
        if (field == null) {
            return byId;
        }
        Comparator<java.time.Instant> times = Comparator.nullsFirst(Comparator.naturalOrder());
        Comparator<RoutineLoadJob> c = switch (field.toLowerCase()) {
            case "id" -> byId;
            case "name" -> Comparator.comparing(j -> j.record().name().toLowerCase());
            case "createtime" -> Comparator.comparing(j -> j.record().createTime(), times);
            case "pausetime" -> Comparator.comparing(j -> j.record().pauseTime(), times);
            case "endtime" -> Comparator.comparing(j -> j.record().endTime(), times);
            case "tablename" -> Comparator.comparing(j -> j.statement().table().toLowerCase());
            case "state" -> Comparator.comparing(j -> j.state().name());
            case "currenttasknum" -> Comparator.comparingInt(j -> j.tasks().size());
            default -> throw new JobException("SHOW ROUTINE LOAD cannot ORDER BY " + field + "; use one of Id, Name,"
                    + " CreateTime, PauseTime, EndTime, TableName, State, CurrentTaskNum");
        };
        return c.thenComparing(byId);
    }

    private SqlResult showTasks(ShowRoutineLoadTask t) {
        RoutineLoadJob job = require(t.job());
        return SqlResult.table(JobViews.TASK_COLUMNS, JobViews.taskRows(job));
    }

    private List<RoutineLoadJob> targets(JobRef ref, boolean all, String verb) {
        if (all && ref == null) {
            return jobs.stream().filter(j -> !j.state().isFinal()).toList();
        }
        return List.of(requireActive(ref, verb));
    }

    /** The active job of that name; a precise error when it is unknown, stopped or cancelled. */
    private RoutineLoadJob requireActive(JobRef ref, String verb) {
        Optional<RoutineLoadJob> active = find(ref);
        if (active.isPresent()) {
            return active.get();
        }
        Optional<RoutineLoadJob> ended = findAny(ref);
        if (ended.isPresent()) {
            throw new JobException("routine load job " + name(ended.get()) + " is " + ended.get().state()
                    + " and cannot be " + verb + "; a stopped or cancelled job is final (CREATE a new one)");
        }
        return require(ref);
    }

    private RoutineLoadJob require(JobRef ref) {
        return find(ref).orElseThrow(() -> new JobException("routine load job " + ref.qualified(defaultDb)
                + " does not exist"));
    }

    /** The active (not stopped or cancelled) job of that name. */
    public Optional<RoutineLoadJob> find(JobRef ref) {
        return jobs.stream().filter(j -> !j.state().isFinal() && matches(j, ref)).findFirst();
    }

    /** The newest job of that name, whatever its state. */
    public Optional<RoutineLoadJob> findAny(JobRef ref) {
        RoutineLoadJob found = null;
        for (RoutineLoadJob j : jobs) {
            if (matches(j, ref)) {
                found = j;
            }
        }
        return Optional.ofNullable(found);
    }

    private boolean matches(RoutineLoadJob job, JobRef ref) {
        String db = ref.db() == null ? defaultDb : ref.db();
        return job.record().name().equalsIgnoreCase(ref.name()) && job.record().db().equalsIgnoreCase(db);
    }

    private static String name(RoutineLoadJob job) {
        return job.record().db() + "." + job.record().name();
    }

    public List<RoutineLoadJob> jobs() {
        return List.copyOf(jobs);
    }

    /** Stops every task of this runtime; persisted states stay as they are, so a restart resumes them. */
    @Override
    public void close() {
        timers.shutdownNow();
        scheduler.shutdownNow();
        try {
            timers.awaitTermination(10, TimeUnit.SECONDS);
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // each job's member leaves its group and its tasks settle their positions: a few round trips each, in parallel
        changes.shutdownNow();
        ExecutorService stopping = Executors.newFixedThreadPool(CHANGE_THREADS);
        for (RoutineLoadJob job : jobs) {
            stopping.execute(() -> {
                job.detach();
                job.closeMonitor();
            });
        }
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(2, TimeUnit.MINUTES)) {
                log.warn("some jobs did not stop within 2 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watches.close();
        slots.close();
    }

    TopicWatches watches() {
        return watches;
    }
}
