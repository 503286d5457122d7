package io.inlet.sink.jdbc;

import java.sql.SQLException;

/** Rows of one COPY ... FROM STDIN, encoded in the COPY's format and handed to its stream. */
interface PgCopyEncoder {

    /** Starts the data of one COPY. */
    void start(PgBinaryCopy.Output output) throws SQLException;

    void writeRow(Object[] row) throws SQLException;

    /** Ends the data of the COPY: everything still buffered goes out. */
    void finish() throws SQLException;
}
