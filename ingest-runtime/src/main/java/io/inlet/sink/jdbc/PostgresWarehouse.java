package io.inlet.sink.jdbc;

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
 * in binary format ({@link PgBinaryCopy}), streamed in large chunks inside the batch's transaction.
 */
public final class PostgresWarehouse extends JdbcWarehouse {

    private final String url;
    private final Properties credentials = new Properties();

    public PostgresWarehouse(String url, String user, String password) throws SQLException {
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
    protected Connection openControlConnection() throws SQLException {
        return DriverManager.getConnection(url, credentials);
    }

    @Override
    public LoadSession openSession(long jobId, long generation, TableSchema table) throws SQLException {
        return new Session(DriverManager.getConnection(url, credentials), jobId, generation, table);
    }

    @Override
    public void close() {
        discardControlConnection();
    }

    static String quoteIdent(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static final class Session extends JdbcLoadSession {
        private final String copySql;
        private final PgBinaryCopy encoder;
        private CopyIn copy;

        Session(Connection connection, long jobId, long generation, TableSchema table) throws SQLException {
            super(connection, jobId, generation, table);
            this.copySql = "COPY " + quoteIdent(table.schema()) + "." + quoteIdent(table.table()) + " ("
                    + table.columns().stream().map(c -> quoteIdent(c.name())).collect(Collectors.joining(", "))
                    + ") FROM STDIN (FORMAT binary)";
            List<PgBinaryCopy.Encoding> encodings = encodings(connection, table);
            ZoneId zone = encodings.contains(PgBinaryCopy.Encoding.TIMESTAMPTZ) ? sessionZone(connection) : null;
            connection.commit();
            this.encoder = new PgBinaryCopy(encodings, zone);
        }

        /** The binary encoding of each column, from the type the server stores it as (a domain's base type). */
        private static List<PgBinaryCopy.Encoding> encodings(Connection c, TableSchema table) throws SQLException {
            Map<String, String> types = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, coalesce(b.typname, t.typname)"
                    + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                    + " LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype"
                    + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped")) {
                ps.setString(1, quoteIdent(table.schema()) + "." + quoteIdent(table.table()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        types.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            List<PgBinaryCopy.Encoding> out = new ArrayList<>();
            for (ColumnDef column : table.columns()) {
                String type = types.get(column.name());
                if (type == null) {
                    throw new SQLException("column " + column.name() + " of " + table.qualifiedName() + " no longer exists");
                }
                out.add(PgBinaryCopy.Encoding.of(type));
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
