package io.inlet.job;

import io.inlet.expr.CurrentMessage;
import io.inlet.expr.EvalContext;
import io.inlet.format.Decoder;
import io.inlet.format.DecoderSpec;
import io.inlet.format.Decoders;
import io.inlet.format.avro.AvroSchemaSource;
import io.inlet.format.avro.RegistrySchemas;
import io.inlet.schemaregistry.RegistryEndpoint;
import io.inlet.sink.LoadPlan;
import io.inlet.sink.TableSchema;
import io.inlet.sink.Warehouse;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.JobProperties;
import io.inlet.sql.KafkaPropertyDefs;
import io.inlet.sql.KafkaSourceProperties;
import io.inlet.sql.KinesisSourceProperties;
import io.inlet.transform.LoadedColumns;
import io.inlet.transform.RowMapper;

import java.time.Clock;
import java.time.Instant;

/**
 * A job's definition resolved against its target table: typed properties, the decoder and the
 * row mapper each task builds from it. Building it checks the mapping, so a statement that
 * cannot work is refused at CREATE or ALTER time. A job reads either Kafka ({@code kafka}) or Kinesis
 * ({@code kinesis}); the other is null.
 */
record JobSettings(CreateRoutineLoad statement, JobProperties properties, KafkaSourceProperties kafka,
                   KinesisSourceProperties kinesis, TableSchema table, LoadPlan plan, Clock clock,
                   Instant schemaReadTime) {

    static final String KINESIS = "KINESIS";

    /**
     * {@code described}: the table as the warehouse describes it now; the settings keep the columns the job writes
     * ({@link LoadedColumns}) and when they were read.
     */
    static JobSettings of(CreateRoutineLoad statement, TableSchema described, Warehouse warehouse, Clock clock) {
        TableSchema table = LoadedColumns.of(statement.load(), described);
        JobProperties properties = JobProperties.from(statement.jobProperties());
        boolean kinesis = KINESIS.equals(statement.sourceType());
        JobSettings s = new JobSettings(statement, properties,
                kinesis ? null : KafkaSourceProperties.from(statement.sourceProperties()),
                kinesis ? KinesisSourceProperties.from(statement.sourceProperties()) : null,
                table, warehouse.plan(statement, properties, table), clock, clock.instant());
        s.newDecoder(s.newMapper());
        return s;
    }

    /** Whether the job reads a Kinesis stream ({@link #kinesis()}), not a Kafka topic ({@link #kafka()}). */
    boolean readsKinesis() {
        return kinesis != null;
    }

    RowMapper newMapper() {
        return newMapper(new CurrentMessage());
    }

    /** The mapper of a task, whose Kafka metadata functions read {@code current}. */
    RowMapper newMapper(CurrentMessage current) {
        return RowMapper.compile(statement.load(), table, new EvalContext(properties.timezone(), clock, current),
                properties.strictMode());
    }

    /** The decoder of the source columns {@code mapper} reads. */
    Decoder newDecoder(RowMapper mapper) {
        return Decoders.create(new DecoderSpec(properties.format(), mapper.sourceColumns(), properties.jsonPaths(),
                properties.jsonRoot(), properties.stripOuterArray(), statement.columnSeparator(), statement.rowDelimiter(),
                properties.enclose(), properties.escape(), properties.trimSpace(), properties.timezone(), avroSchemas()));
    }

    /** Avro: the schemas of the job's registry, the topic's {@code -value} subject giving the reader schema. */
    private AvroSchemaSource avroSchemas() {
        if (!"avro".equals(properties.format()) || kafka == null) {
            return null;
        }
        RegistryEndpoint registry = KafkaPropertyDefs.schemaRegistry(statement.sourceProperties());
        return registry == null ? null : new RegistrySchemas(registry, kafka.topic() + "-value");
    }
}
