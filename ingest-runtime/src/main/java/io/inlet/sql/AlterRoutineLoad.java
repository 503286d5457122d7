package io.inlet.sql;

import java.util.List;
import java.util.Objects;

/**
 * {@code ALTER ROUTINE LOAD FOR [db.]job [load clauses] [PROPERTIES (...)] [FROM KAFKA (...)]}: only what is
 * given; {@code load} may be {@link LoadDescription#EMPTY}, {@code sourceType} null.
 */
public record AlterRoutineLoad(JobRef job, LoadDescription load, PropertyList jobProperties, String sourceType,
                               PropertyList sourceProperties) implements Statement {

    public AlterRoutineLoad {
        Objects.requireNonNull(job, "job");
        load = load == null ? LoadDescription.EMPTY : load;
        jobProperties = jobProperties == null ? PropertyList.EMPTY : jobProperties;
        sourceProperties = sourceProperties == null ? PropertyList.EMPTY : sourceProperties;
    }

    @Override
    public String toSql() {
        return render(false);
    }

    @Override
    public String toSqlMasked() {
        return render(true);
    }

    private String render(boolean masked) {
        StringBuilder sb = new StringBuilder("ALTER ROUTINE LOAD FOR ").append(job.toSql());
        List<String> clauses = load.clausesSql();
        if (!clauses.isEmpty()) {
            sb.append('\n').append(String.join(",\n", clauses));
        }
        if (!jobProperties.isEmpty()) {
            sb.append("\nPROPERTIES ").append(jobProperties.toSql("    ", masked));
        }
        if (sourceType != null) {
            sb.append("\nFROM ").append(sourceType).append(' ').append(sourceProperties.toSql("    ", masked));
        }
        return sb.toString();
    }
}
