package io.inlet.sink.streamload;

import io.inlet.expr.SqlType;
import io.inlet.job.JobCatalog;
import io.inlet.job.JobRecord;
import io.inlet.sink.ColumnDef;
import io.inlet.sink.LoadPlan;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PositionArchive;
import io.inlet.sink.PositionStore;
import io.inlet.sink.SessionSpec;
import io.inlet.sink.TableNotFoundException;
import io.inlet.sink.TableSchema;
import io.inlet.sink.Warehouse;
import io.inlet.source.kafka.KafkaSource;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.JobProperties;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.StreamLoadClient;
import io.inlet.streamload.StreamLoadConfig;
import io.inlet.streamload.StreamLoadException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * StarRocks/CelerData or Doris, loaded over Stream Load: tables are described by the FE's
 * {@code _schema} API, a job's positions live in its Kafka consumer group
 * ({@link StreamLoadPositions}), and the job catalog is kept elsewhere (the warehouse cannot hold
 * Inlet's state transactionally with the data).
 */
public final class StreamLoadWarehouse implements Warehouse {

    private final StreamLoadConfig template;
    private final JobCatalog catalog;
    /** The batches' load requests: as many threads as batches in flight, which the job manager bounds. */
    private final ExecutorService senders = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "inlet-streamload-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    /** @param template endpoints, account and flavor; its database and table are replaced per job */
    public StreamLoadWarehouse(StreamLoadConfig template, JobCatalog catalog) {
        this.template = template;
        this.catalog = catalog;
    }

    @Override
    public String kind() {
        return template.flavor() == Flavor.DORIS ? "doris" : "starrocks";
    }

    private StreamLoadClient client(String database, String table) {
        return new StreamLoadClient(template.withTable(database, table));
    }

    @Override
    public TableSchema describe(String database, String table) throws TableNotFoundException {
        List<StreamLoadClient.SchemaColumn> described;
        try {
            described = client(database, table).schema();
        } catch (StreamLoadException e) {
            if (e.httpStatus() == 404) {
                throw new TableNotFoundException("table " + database + "." + table + " does not exist in " + kind()
                        + ": " + e.getMessage());
            }
            throw new IllegalStateException("cannot describe table " + database + "." + table + ": " + e.getMessage(), e);
        }
        List<ColumnDef> columns = new ArrayList<>();
        for (StreamLoadClient.SchemaColumn c : described) {
            columns.add(new ColumnDef(c.name(), type(c), c.nullable()));
        }
        return new TableSchema(database, table, columns);
    }

    /** The column type Inlet converts to; types it does not model (ARRAY, MAP, HLL, BITMAP...) travel as text. */
    static SqlType type(StreamLoadClient.SchemaColumn c) {
        String t = c.type().toUpperCase(Locale.ROOT);
        return switch (t) {
            case "BOOLEAN", "BOOL" -> SqlType.BOOLEAN;
            case "TINYINT" -> SqlType.TINYINT;
            case "SMALLINT" -> SqlType.SMALLINT;
            case "INT", "INTEGER" -> SqlType.INT;
            case "BIGINT" -> SqlType.BIGINT;
            case "LARGEINT" -> SqlType.LARGEINT;
            case "FLOAT" -> SqlType.FLOAT;
            case "DOUBLE" -> SqlType.DOUBLE;
            case "DECIMAL", "DECIMALV2", "DECIMALV3", "DECIMAL32", "DECIMAL64", "DECIMAL128" ->
                    c.precision() > 0 ? SqlType.decimal(c.precision(), c.scale()) : SqlType.decimal(27, 9);
            case "DATE", "DATEV2" -> SqlType.DATE;
            case "DATETIME", "DATETIMEV2", "TIMESTAMP" -> SqlType.DATETIME;
            case "JSON", "JSONB" -> SqlType.JSON;
            default -> SqlType.STRING;
        };
    }

    @Override
    public JobCatalog catalog() {
        return catalog;
    }

    @Override
    public LoadPlan plan(CreateRoutineLoad statement, JobProperties properties, TableSchema table) {
        return Pushdown.of(template.flavor(), statement, properties).plan();
    }

    @Override
    public PositionStore positionStore(long jobId, KafkaSource source, TableSchema table) {
        return new StreamLoadPositions(jobId, source, client(table.schema(), table.table()),
                catalog instanceof PositionArchive archive ? archive : PositionArchive.NONE);
    }

    @Override
    public void alter(JobRecord altered, PositionStore store, Map<String, String> positions) throws Exception {
        if (!positions.isEmpty()) {
            ((StreamLoadPositions) store).reset(positions);
        }
        catalog.update(altered);
    }

    @Override
    public LoadSession openSession(SessionSpec spec) {
        Pushdown p = Pushdown.of(template.flavor(), spec.statement(), spec.properties());
        return new StreamLoadSession(client(spec.table().schema(), spec.table().table()),
                (StreamLoadPositions) spec.positions(), spec.partitions(), p.body(), p.headers(),
                new RowJson(spec.table()), senders);
    }

    @Override
    public int concurrentBatches() {
        return template.maxConnections() - 1;
    }

    @Override
    public void close() {
        senders.shutdownNow();
        if (catalog instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }
}
