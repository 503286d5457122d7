package io.inlet.sql;

import io.inlet.expr.Expr;

import java.util.List;

/**
 * Parses the Routine Load statements of StarRocks and Doris: CREATE / ALTER / PAUSE / RESUME / STOP /
 * SHOW ROUTINE LOAD [TASK], FROM KAFKA or FROM KINESIS. CREATE and ALTER properties are validated against
 * {@link JobPropertyDefs}, {@link KafkaPropertyDefs} and {@link KinesisPropertyDefs}. Every error is a
 * {@link StatementException} with the line and column of the offending token.
 */
public final class SqlParser {
    private SqlParser() {
    }

    /** One statement with an optional trailing ';'. */
    public static Statement parse(String sql) {
        return new Parser(sql).single();
    }

    /** ';'-separated statements (a jobs file); comments and empty statements are allowed. */
    public static List<Statement> parseScript(String sql) {
        return List.copyOf(new Parser(sql).script());
    }

    /** One expression, as in a COLUMNS mapping or a WHERE clause. */
    public static Expr parseExpression(String sql) {
        return new Parser(sql).expressionOnly();
    }
}
