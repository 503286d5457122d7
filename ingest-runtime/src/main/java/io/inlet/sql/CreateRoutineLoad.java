package io.inlet.sql;

import io.inlet.expr.SqlText;

import java.util.List;
import java.util.Objects;

/**
 * {@code CREATE ROUTINE LOAD [db.]job ON table [load clauses] [PROPERTIES (...)] FROM KAFKA|KINESIS (...)}.
 * Jobs are persisted as {@link #toSql()} (secrets included) and re-parsed at restart; ALTER is applied with
 * {@link #merge(AlterRoutineLoad)} and re-rendered.
 */
public record CreateRoutineLoad(JobRef job, String table, LoadDescription load, PropertyList jobProperties,
                                String sourceType, PropertyList sourceProperties) implements Statement {

    public CreateRoutineLoad {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(sourceType, "sourceType");
        load = load == null ? LoadDescription.EMPTY : load;
        jobProperties = jobProperties == null ? PropertyList.EMPTY : jobProperties;
        sourceProperties = sourceProperties == null ? PropertyList.EMPTY : sourceProperties;
    }

    /** Canonical statement text with real secret values: for persistence only. */
    @Override
    public String toSql() {
        return render(false);
    }

    /** Canonical statement text with secret values shown as {@code ******}. */
    @Override
    public String toSqlMasked() {
        return render(true);
    }

    private String render(boolean masked) {
        StringBuilder sb = new StringBuilder();
        sb.append("CREATE ROUTINE LOAD ").append(job.toSql()).append(" ON ").append(SqlText.ident(table));
        List<String> clauses = load.clausesSql();
        if (!clauses.isEmpty()) {
            sb.append('\n').append(String.join(",\n", clauses));
        }
        if (!jobProperties.isEmpty()) {
            sb.append("\nPROPERTIES ").append(jobProperties.toSql("    ", masked));
        }
        sb.append("\nFROM ").append(sourceType).append(' ').append(sourceProperties.toSql("    ", masked));
        return sb.toString();
    }

    /** The typed job properties (defaults applied). */
    /** The CSV column separator as written: {@code COLUMNS TERMINATED BY}, else column_separator, else StarRocks' {@code \t}. */
    public String columnSeparator() {
        return load.columnSeparator() != null ? load.columnSeparator() : jobProperties.get("column_separator", "\\t");
    }

    /** The CSV row delimiter as written: {@code ROWS TERMINATED BY}, else line_delimiter, else null (a newline). */
    public String rowDelimiter() {
        return load.rowDelimiter() != null ? load.rowDelimiter() : jobProperties.get("line_delimiter", null);
    }

    public JobProperties properties() {
        return JobProperties.from(jobProperties);
    }

    /** The typed Kafka source properties; only for {@code sourceType == "KAFKA"}. */
    public KafkaSourceProperties kafka() {
        if (!sourceType.equals("KAFKA")) {
            throw new IllegalStateException("job " + job + " reads from " + sourceType + ", not KAFKA");
        }
        return KafkaSourceProperties.from(sourceProperties);
    }

    /** The typed Kinesis source properties; only for {@code sourceType == "KINESIS"}. */
    public KinesisSourceProperties kinesis() {
        if (!sourceType.equals("KINESIS")) {
            throw new IllegalStateException("job " + job + " reads from " + sourceType + ", not KINESIS");
        }
        return KinesisSourceProperties.from(sourceProperties);
    }

    /**
     * This job with an ALTER applied: given load clauses replace these, given properties override (a new
     * partition list without offsets drops the old offsets). Re-render with {@link #toSql()} and re-parse to
     * validate the result.
     */
    public CreateRoutineLoad merge(AlterRoutineLoad alter) {
        if (alter.sourceType() != null && !alter.sourceType().equals(sourceType)) {
            throw new IllegalArgumentException("ALTER names FROM " + alter.sourceType() + " but job " + job
                    + " reads from " + sourceType);
        }
        PropertyList src = sourceProperties;
        PropertyList changes = alter.sourceProperties();
        if (changes.contains(KafkaPropertyDefs.PARTITIONS) && !changes.contains(KafkaPropertyDefs.OFFSETS)) {
            src = without(src, KafkaPropertyDefs.OFFSETS);
        }
        PropertyList merged = sourceType.equals("KINESIS") ? KinesisPropertyDefs.merge(src, changes)
                : src.mergedWith(changes);
        return new CreateRoutineLoad(job, table, load.mergedWith(alter.load()),
                jobProperties.mergedWith(alter.jobProperties()), sourceType, merged);
    }

    private static PropertyList without(PropertyList l, String key) {
        return new PropertyList(l.items().stream().filter(p -> !p.matches(key)).toList());
    }
}
