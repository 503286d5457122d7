package io.inlet.sink.jdbc;

import io.inlet.sink.LoadSession;
import io.inlet.sink.TableSchema;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * PostgreSQL (and wire-compatible warehouses). Rows go in through {@code COPY ... FROM STDIN}
 * in text format, streamed in 64 KiB chunks inside the batch's transaction.
 */
public final class PostgresWarehouse extends JdbcWarehouse {

    private final String url;
    private final Properties credentials = new Properties();
    private Connection control;

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
    protected synchronized Connection controlConnection() throws SQLException {
        if (control == null || !control.isValid(2)) {
            if (control != null) {
                try {
                    control.close();
                } catch (SQLException ignored) {
                    // replaced below
                }
            }
            control = DriverManager.getConnection(url, credentials);
        }
        return control;
    }

    @Override
    public LoadSession openSession(long jobId, long generation, TableSchema table) throws SQLException {
        return new Session(DriverManager.getConnection(url, credentials), jobId, generation, table);
    }

    @Override
    public synchronized void close() {
        if (control != null) {
            try {
                control.close();
            } catch (SQLException ignored) {
                // closing
            }
        }
    }

    static String quoteIdent(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static final class Session extends JdbcLoadSession {
        private static final int CHUNK = 64 * 1024;
        private final String copySql;
        private final byte[] buffer = new byte[CHUNK + 4096];
        private int length;
        private CopyIn copy;

        Session(Connection connection, long jobId, long generation, TableSchema table) throws SQLException {
            super(connection, jobId, generation, table);
            this.copySql = "COPY " + quoteIdent(table.schema()) + "." + quoteIdent(table.table()) + " ("
                    + table.columns().stream().map(c -> quoteIdent(c.name())).collect(Collectors.joining(", "))
                    + ") FROM STDIN (FORMAT text)";
        }

        @Override
        protected void openWriter() throws SQLException {
            copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            length = 0;
        }

        @Override
        protected void writeRow(Object[] row) throws SQLException {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    put((byte) '\t');
                }
                Object v = row[i];
                if (v == null) {
                    put((byte) '\\');
                    put((byte) 'N');
                } else {
                    putEscaped(v instanceof BigDecimal d ? d.toPlainString() : v.toString());
                }
            }
            put((byte) '\n');
            if (length >= CHUNK) {
                copy.writeToCopy(buffer, 0, length);
                length = 0;
            }
        }

        private void put(byte b) throws SQLException {
            if (length == buffer.length) {
                copy.writeToCopy(buffer, 0, length);
                length = 0;
            }
            buffer[length++] = b;
        }

        private void putEscaped(String s) throws SQLException {
            boolean ascii = true;
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch >= 0x80) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                for (int i = 0; i < s.length(); i++) {
                    putEscapedByte((byte) s.charAt(i));
                }
                return;
            }
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                putEscapedByte(b);
            }
        }

        private void putEscapedByte(byte b) throws SQLException {
            switch (b) {
                case '\\' -> { put((byte) '\\'); put((byte) '\\'); }
                case '\t' -> { put((byte) '\\'); put((byte) 't'); }
                case '\n' -> { put((byte) '\\'); put((byte) 'n'); }
                case '\r' -> { put((byte) '\\'); put((byte) 'r'); }
                default -> put(b);
            }
        }

        @Override
        protected void finishWriter() throws SQLException {
            if (copy != null) {
                if (length > 0) {
                    copy.writeToCopy(buffer, 0, length);
                    length = 0;
                }
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
            length = 0;
        }
    }
}
