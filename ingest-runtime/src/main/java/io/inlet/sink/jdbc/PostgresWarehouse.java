package io.inlet.sink.jdbc;

import io.inlet.expr.SqlType;
import io.inlet.sink.ColumnDef;
import io.inlet.sink.LoadSession;
import io.inlet.sink.TableSchema;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * PostgreSQL (and wire-compatible warehouses). Rows go in through {@code COPY ... FROM STDIN}
 * in binary format ({@link PgBinaryCopy}), or in text format ({@link PgTextCopy}) when a column's type has
 * no binary encoding in Inlet, streamed in large chunks inside the batch's transaction. The COPY names the
 * columns the job writes, so the others get their defaults.
 */
public final class PostgresWarehouse extends JdbcWarehouse {

    private final String url;
    private final Properties credentials = new Properties();

    @Override
    protected void createActiveNameIndex(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + ACTIVE_NAME_INDEX + " ON " + JOB_TABLE
                    + " (lower(db), lower(name)) WHERE state NOT IN ('STOPPED', 'CANCELLED')");
        }
    }

    /** An advisory lock key of Inlet's own ("inlet" in ASCII), held while the state tables are created. */
    private static final long STATE_TABLES_LOCK = 0x696e6c6574L;

    @Override
    protected void lockStateTableCreation(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + STATE_TABLES_LOCK + ")");
        }
    }

    @Override
    protected void unlockStateTableCreation(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + STATE_TABLES_LOCK + ")");
        }
    }

    public PostgresWarehouse(String url, String user, String password) throws SQLException {
        this(url, user, password, DEFAULT_MAX_CONNECTIONS);
    }

    public PostgresWarehouse(String url, String user, String password, int maxConnections) throws SQLException {
        super(maxConnections);
        this.url = url;
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        createStateTables();
    }

    @Override
    public String kind() {
        return "postgresql";
    }

    @Override
    protected Connection openConnection() throws SQLException {
        return DriverManager.getConnection(url, credentials);
    }

    @Override
    public LoadSession openSession(long jobId, long generation, TableSchema table) throws SQLException {
        return new Session(this, jobId, generation, table);
    }

    @Override
    public void close() {
        closeConnections();
    }

    /** From the catalog rather than information_schema, whose view costs a scan of every table's columns. */
    @Override
    protected String columnCountSql() {
        return "(SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?))"
                + " AND attnum > 0 AND NOT attisdropped)";
    }

    static String quoteIdent(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static final class Session extends JdbcLoadSession {
        private final String copySql;
        private final PgCopyEncoder encoder;
        private CopyIn copy;

        Session(JdbcWarehouse warehouse, long jobId, long generation, TableSchema table) throws SQLException {
            super(warehouse, jobId, generation, table);
            Copy copy = warehouse.onLoadConnection(c -> copyOf(c, table));
            this.copySql = copy.sql();
            this.encoder = copy.encoder();
        }

        /** The COPY statement of the session's columns, and how its rows are encoded. */
        private record Copy(String sql, PgCopyEncoder encoder) {}

        private static Copy copyOf(Connection connection, TableSchema table) throws SQLException {
            List<ServerType> types = serverTypes(connection, table);
            List<PgBinaryCopy.Encoding> encodings = types.stream().map(ServerType::binaryEncoding).toList();
            boolean binary = !encodings.contains(null);
            String sql = "COPY " + quoteIdent(table.schema()) + "." + quoteIdent(table.table()) + " ("
                    + table.columns().stream().map(c -> quoteIdent(c.name())).collect(Collectors.joining(", "))
                    + ") FROM STDIN (FORMAT " + (binary ? "binary" : "text") + ")";
            if (binary) {
                ZoneId zone = encodings.contains(PgBinaryCopy.Encoding.TIMESTAMPTZ) ? sessionZone(connection) : null;
                return new Copy(sql, new PgBinaryCopy(encodings, zone));
            }
            List<PgTextCopy.Form> forms = new ArrayList<>();
            for (int i = 0; i < types.size(); i++) {
                forms.add(types.get(i).textForm(table.columns().get(i)));
            }
            return new Copy(sql, new PgTextCopy(forms, table.columns().stream().map(ColumnDef::name).toList()));
        }

        /** The type the server stores a column as: a domain's base type, with its {@code typtype} and {@code typcategory}. */
        private record ServerType(String typname, String typtype, String typcategory, String elementTypname) {

            PgBinaryCopy.Encoding binaryEncoding() {
                return PgBinaryCopy.Encoding.of(typname, typtype);
            }

            PgTextCopy.Form textForm(ColumnDef column) {
                if ("A".equals(typcategory)) {
                    return "json".equals(elementTypname) || "jsonb".equals(elementTypname)
                            ? PgTextCopy.Form.JSON_ARRAY_FROM_JSON : PgTextCopy.Form.ARRAY_FROM_JSON;
                }
                return column.type().kind() == SqlType.Kind.BOOLEAN ? PgTextCopy.Form.BOOL : PgTextCopy.Form.TEXT;
            }
        }

        private static List<ServerType> serverTypes(Connection c, TableSchema table) throws SQLException {
            Map<String, ServerType> types = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, coalesce(b.typname, t.typname),"
                    + " coalesce(b.typtype, t.typtype), coalesce(b.typcategory, t.typcategory), e.typname"
                    + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                    + " LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype"
                    + " LEFT JOIN pg_type e ON e.oid = coalesce(b.typelem, t.typelem)"
                    + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped")) {
                ps.setString(1, quoteIdent(table.schema()) + "." + quoteIdent(table.table()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        types.put(rs.getString(1), new ServerType(rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5)));
                    }
                }
            }
            List<ServerType> out = new ArrayList<>();
            for (ColumnDef column : table.columns()) {
                ServerType type = types.get(column.name());
                if (type == null) {
                    throw new SQLException("column " + column.name() + " of " + table.qualifiedName() + " no longer exists");
                }
                out.add(type);
            }
            return out;
        }

        /** The session's TimeZone, in which PostgreSQL reads a local date-time for a timestamptz column. */
        private static ZoneId sessionZone(Connection c) throws SQLException {
            String name;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW TimeZone")) {
                rs.next();
                name = rs.getString(1);
            }
            try {
                return ZoneId.of(name);
            } catch (DateTimeException e) {
                throw new SQLException("the PostgreSQL session time zone '" + name + "' is not a zone Java knows;"
                        + " set TimeZone to a region name such as UTC or Europe/Berlin", e);
            }
        }

        @Override
        protected void openWriter() throws SQLException {
            copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            encoder.start(copy::writeToCopy);
        }

        @Override
        protected void writeRow(Object[] row) throws SQLException {
            encoder.writeRow(row);
        }

        @Override
        protected void finishWriter() throws SQLException {
            if (copy != null) {
                encoder.finish();
                copy.endCopy();
                copy = null;
            }
        }

        @Override
        protected void abandonWriter() {
            if (copy != null) {
                try {
                    if (copy.isActive()) {
                        copy.cancelCopy();
                    }
                } catch (SQLException ignored) {
                    // the transaction is rolled back anyway
                }
                copy = null;
            }
        }
    }
}
