package io.inlet.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.source.kafka.KafkaClientConfig;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.JobProperties;
import io.inlet.sql.KafkaPropertyDefs;
import io.inlet.sql.KafkaSourceProperties;
import io.inlet.sql.KinesisSourceProperties;
import io.inlet.source.kinesis.ShardPosition;
import io.inlet.sql.Property;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** SHOW ROUTINE LOAD and SHOW ROUTINE LOAD TASK rows, with StarRocks' column names and contents. */
public final class JobViews {

    public static final List<String> JOB_COLUMNS = List.of("Id", "Name", "CreateTime", "PauseTime", "EndTime",
            "DbName", "TableName", "State", "DataSourceType", "CurrentTaskNum", "JobProperties",
            "DataSourceProperties", "CustomProperties", "Statistic", "Progress", "Lag", "ReasonOfStateChanged",
            "ErrorLogUrls", "OtherMsg");
    public static final List<String> TASK_COLUMNS = List.of("TaskId", "TxnId", "TxnStatus", "JobId", "CreateTime",
            "LastScheduledTime", "ExecuteStartTime", "Timeout", "BeId", "DataSourceProperties", "Message");
    public static final String MASK = "******";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private JobViews() {}

    /** @param errorLogUrl the URL of the job's error rows, or null when nothing serves it */
    public static List<String> jobRow(RoutineLoadJob job, String errorLogUrl) {
        JobRecord r = job.record();
        CreateRoutineLoad st = job.statement();
        JobProperties p = job.settings().properties();
        KafkaSourceProperties k = job.settings().kafka();
        Map<String, Object> jobProps = new LinkedHashMap<>();
        KinesisSourceProperties kinesis = job.settings().kinesis();
        if (kinesis != null) {
            jobProps.put("shards", kinesis.shards().isEmpty() ? "*" : String.join(",", kinesis.shards()));
        } else {
            jobProps.put("partitions", k.partitions().isEmpty() ? "*" : join(k.partitions()));
        }
        jobProps.put("partial_update", String.valueOf(p.partialUpdate()));
        jobProps.put("columnToColumnExpr", st.load().columns().stream()
                .map(c -> c.expr() == null ? c.name() : c.name() + "=" + c.expr().toSql()).collect(Collectors.joining(",")));
        jobProps.put("maxBatchIntervalS", String.valueOf(p.maxBatchIntervalSeconds()));
        jobProps.put("currentBatchIntervalS", String.valueOf(job.batchIntervalMillis() / 1000));
        jobProps.put("whereExpr", st.load().where() == null ? "*" : st.load().where().toSql());
        jobProps.put("dataFormat", p.format());
        jobProps.put("timezone", p.timezone().getId());
        jobProps.put("format", p.format());
        jobProps.put("json_root", p.jsonRoot() == null ? "" : p.jsonRoot());
        jobProps.put("strict_mode", String.valueOf(p.strictMode()));
        jobProps.put("jsonpaths", p.jsonPaths() == null ? "" : toJson(p.jsonPaths()));
        jobProps.put("desireTaskConcurrentNum", String.valueOf(p.desiredConcurrentNumber()));
        jobProps.put("maxErrorNum", String.valueOf(p.maxErrorNumber()));
        jobProps.put("maxFilterRatio", String.valueOf(p.maxFilterRatio()));
        jobProps.put("strip_outer_array", String.valueOf(p.stripOuterArray()));
        jobProps.put("currentTaskConcurrentNum", String.valueOf(job.tasks().size()));
        jobProps.put("maxBatchRows", String.valueOf(p.maxBatchRows()));
        jobProps.put("maxBatchSizeBytes", String.valueOf(p.maxBatchSizeBytes()));
        jobProps.put("loadPath", job.settings().plan().description());
        jobProps.put("schemaReadTime", time(job.settings().schemaReadTime()));
        jobProps.put("loadedColumns", job.settings().table().columns().stream().map(c -> c.name())
                .collect(Collectors.joining(",")));

        Map<String, Object> source = new LinkedHashMap<>();
        if (kinesis != null) {
            source.put("stream", kinesis.stream());
            source.put("region", kinesis.region());
            source.put("currentKinesisShards", String.join(",", job.shards()));
            if (kinesis.endpoint() != null) {
                source.put("endpoint", kinesis.endpoint());
            }
        } else {
            source.put("topic", k.topic());
            source.put("currentKafkaPartitions", join(job.partitions().isEmpty() ? k.partitions() : job.partitions()));
            source.put("brokerList", k.brokerList() != null ? k.brokerList() : KafkaPropertyDefs.MSK_CLUSTER_ARN + "="
                    + k.awsProperties().getOrDefault(KafkaPropertyDefs.MSK_CLUSTER_ARN, ""));
        }

        Map<String, Object> custom = new LinkedHashMap<>();
        for (Property prop : st.sourceProperties().items()) {
            String key = prop.key();
            if (key.startsWith("property.") || key.startsWith("aws.")) {
                String shown = key.startsWith("property.") ? key.substring("property.".length()) : key;
                custom.put(shown, KafkaPropertyDefs.isSecret(key) ? MASK : prop.value());
            } else if (key.startsWith("confluent.")) { // the schema registry: its password masked in the URL too
                custom.put(key, KafkaPropertyDefs.mask(key, prop.value()));
            }
        }

        Map<String, String> progress = new LinkedHashMap<>();
        Map<String, Long> lag = new LinkedHashMap<>();
        if (kinesis != null) {
            job.shardProgress().forEach((shard, at) -> progress.put(shard, sequenceNumber(at)));
            lag.putAll(job.shardLag());
        } else {
            Map<Integer, Long> committed = job.progress();
            for (Integer partition : job.partitions()) {
                Long next = committed.get(partition);
                progress.put(String.valueOf(partition), next == null ? "OFFSET_ZERO" : next == 0 ? "OFFSET_ZERO"
                        : String.valueOf(next - 1));
            }
            job.lag().forEach((part, l) -> lag.put(String.valueOf(part), l));
        }

        List<String> row = new ArrayList<>();
        row.add(String.valueOf(r.id()));
        row.add(r.name());
        row.add(time(r.createTime()));
        row.add(time(r.pauseTime()));
        row.add(time(r.endTime()));
        row.add(r.db());
        row.add(st.table());
        row.add(r.state().name());
        row.add(st.sourceType());
        row.add(String.valueOf(job.tasks().size()));
        row.add(toJson(jobProps));
        row.add(toJson(source));
        row.add(toJson(custom));
        row.add(toJson(job.totalsOverReplicas().asMap()));
        row.add(toJson(progress));
        row.add(toJson(lag));
        row.add(r.reason() == null ? "" : r.reason());
        List<String> urls = new ArrayList<>();
        if (errorLogUrl != null && job.errorLog().total() > 0) {
            urls.add(errorLogUrl);
        }
        if (job.warehouseErrorUrl() != null) {
            urls.add(job.warehouseErrorUrl());
        }
        row.add(String.join(", ", urls));
        row.add(otherMsg(job.otherMsg(), k));
        return row;
    }

    /**
     * A shard's Progress: the sequence number of its last committed record, as StarRocks shows a partition's last
     * offset; a shard with none yet shows where it starts (TRIM_HORIZON, LATEST, ...), a finished one SHARD_END.
     */
    static String sequenceNumber(String position) {
        ShardPosition p = ShardPosition.parse(position, java.time.ZoneOffset.UTC);
        return p.kind() == ShardPosition.Kind.AFTER_SEQUENCE_NUMBER ? p.sequenceNumber() : position;
    }

    /** The job's own message, and a standing warning while TLS certificate verification is off. */
    static String otherMsg(String message, KafkaSourceProperties k) {
        if (k == null || !KafkaClientConfig.verificationDisabled(k.clientProperties())) {
            return message;
        }
        String warning = "WARNING: TLS certificate verification is off (property.enable.ssl.certificate.verification"
                + " = false): the broker is not authenticated; set property.ssl.ca.location and remove it";
        return message == null || message.isEmpty() ? warning : message + "; " + warning;
    }

    public static List<List<String>> taskRows(RoutineLoadJob job) {
        List<List<String>> rows = new ArrayList<>();
        long timeout = Math.max(60, job.settings().properties().maxBatchIntervalSeconds() * 2);
        List<RoutineLoadJob.TaskView> tasks = new ArrayList<>(job.tasks());
        tasks.addAll(job.otherReplicasTasks());
        for (RoutineLoadJob.TaskView t : tasks) {
            Map<String, Object> offsets = new LinkedHashMap<>();
            for (Integer p : t.partitions()) {
                Long next = t.offsets().get(p);
                offsets.put(String.valueOf(p), next == null ? 0 : next);
            }
            t.shardPositions().forEach((shard, at) -> offsets.put(shard, sequenceNumber(at)));
            rows.add(List.of(t.id(), "-1", "UNKNOWN", String.valueOf(job.id()), time(t.createTime()),
                    time(t.lastScheduled()), time(t.executeStart()), String.valueOf(timeout), t.replica(), toJson(offsets),
                    t.message()));
        }
        return rows;
    }

    private static String join(List<Integer> partitions) {
        return partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static String time(Instant i) {
        return i == null ? "NULL" : TIME.format(i);
    }

    static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
