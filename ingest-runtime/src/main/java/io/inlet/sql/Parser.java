package io.inlet.sql;

import io.inlet.expr.Between;
import io.inlet.expr.BinaryOp;
import io.inlet.expr.CaseWhen;
import io.inlet.expr.Cast;
import io.inlet.expr.ColumnRef;
import io.inlet.expr.Expr;
import io.inlet.expr.FunctionCall;
import io.inlet.expr.InList;
import io.inlet.expr.IsNull;
import io.inlet.expr.Like;
import io.inlet.expr.Literal;
import io.inlet.expr.SqlText;
import io.inlet.expr.SqlType;
import io.inlet.expr.UnaryOp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Recursive-descent parser of the Routine Load statements and their expressions. */
final class Parser {
    private final List<Token> toks;
    private int i;

    Parser(String sql) {
        this.toks = Lexer.tokenize(sql);
    }

    // ===================================================================================== token helpers

    private Token peek() {
        return toks.get(i);
    }

    private Token peek(int k) {
        return toks.get(Math.min(i + k, toks.size() - 1));
    }

    private Token next() {
        Token t = toks.get(i);
        if (t.kind() != Token.Kind.EOF) {
            i++;
        }
        return t;
    }

    private boolean atWord(String w) {
        return peek().isWord(w);
    }

    private boolean atSymbol(String s) {
        return peek().isSymbol(s);
    }

    private boolean acceptWord(String w) {
        if (atWord(w)) {
            next();
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(String s) {
        if (atSymbol(s)) {
            next();
            return true;
        }
        return false;
    }

    static StatementException err(Token t, String reason) {
        return new StatementException(t.line(), t.column(), reason);
    }

    private StatementException expected(String what) {
        return err(peek(), "expected " + what + ", found " + peek().describe());
    }

    private Token expectWord(String w, String context) {
        if (!atWord(w)) {
            throw expected(w + " " + context);
        }
        return next();
    }

    private Token expectSymbol(String s, String context) {
        if (!atSymbol(s)) {
            throw expected("'" + s + "' " + context);
        }
        return next();
    }

    private static boolean isName(Token t) {
        return t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_NAME;
    }

    private String name(String what) {
        if (!isName(peek())) {
            throw expected(what);
        }
        return next().text();
    }

    private String stringLiteral(String what) {
        if (peek().kind() != Token.Kind.STRING) {
            throw expected(what);
        }
        return next().text();
    }

    // ===================================================================================== statements

    Statement single() {
        Statement s = statement();
        acceptSymbol(";");
        if (peek().kind() != Token.Kind.EOF) {
            throw err(peek(), "unexpected " + peek().describe() + " after the end of the statement");
        }
        return s;
    }

    List<Statement> script() {
        List<Statement> out = new ArrayList<>();
        while (true) {
            while (acceptSymbol(";")) {
                // empty statements
            }
            if (peek().kind() == Token.Kind.EOF) {
                return out;
            }
            out.add(statement());
            if (!acceptSymbol(";") && peek().kind() != Token.Kind.EOF) {
                throw err(peek(), "expected ';' after the statement, found " + peek().describe());
            }
        }
    }

    Expr expressionOnly() {
        Expr e = expr();
        if (peek().kind() != Token.Kind.EOF) {
            throw err(peek(), "unexpected " + peek().describe() + " after the expression");
        }
        return e;
    }

    private Statement statement() {
        Token t = peek();
        if (t.isWord("CREATE")) {
            next();
            return create();
        }
        if (t.isWord("ALTER")) {
            next();
            return alter();
        }
        if (t.isWord("PAUSE") || t.isWord("RESUME")) {
            next();
            return pauseOrResume(t.upper());
        }
        if (t.isWord("STOP")) {
            next();
            expectRoutineLoad("STOP");
            expectWord("FOR", "after STOP ROUTINE LOAD");
            return new StopRoutineLoad(jobRef("a job name after FOR"));
        }
        if (t.isWord("SHOW")) {
            next();
            return show();
        }
        throw err(t, "expected CREATE, ALTER, PAUSE, RESUME, STOP or SHOW (ROUTINE LOAD), found " + t.describe());
    }

    private void expectRoutineLoad(String verb) {
        expectWord("ROUTINE", "after " + verb);
        expectWord("LOAD", "after " + verb + " ROUTINE");
    }

    private JobRef jobRef(String what) {
        String first = name(what);
        if (acceptSymbol(".")) {
            return new JobRef(first, name("a job name after '" + first + ".'"));
        }
        return new JobRef(null, first);
    }

    private Statement create() {
        expectRoutineLoad("CREATE");
        JobRef job = jobRef("a job name after CREATE ROUTINE LOAD");
        if (!atWord("ON")) {
            throw expected("ON after the job name");
        }
        next();
        String table = name("a table name after ON");
        if (atSymbol(".")) {
            throw err(peek(), "expected the table name alone after ON (the table is in the job's database), found '.'");
        }
        if (atWord("WITH")) {
            next();
            Token mt = peek();
            if (mt.isWord("MERGE") || mt.isWord("DELETE")) {
                throw err(mt, "WITH " + mt.upper() + " is not supported by Inlet: only APPEND (the default) loads");
            }
            if (!mt.isWord("APPEND")) {
                throw expected("APPEND, MERGE or DELETE after WITH");
            }
            next();
        }
        LoadDescription load = loadClauses();
        PropertyList props = PropertyList.EMPTY;
        boolean hadProps = false;
        if (atWord("PROPERTIES")) {
            next();
            props = properties("PROPERTIES");
            PropertyValidation.validateJob(props, false);
            hadProps = true;
        }
        if (!atWord("FROM")) {
            if (!hadProps && load.isEmpty()) {
                throw expected("load clauses (COLUMNS, WHERE, PARTITION, ...), PROPERTIES or FROM KAFKA (...)");
            }
            throw expected(hadProps ? "FROM KAFKA (...) after PROPERTIES (...)"
                    : "a load clause, PROPERTIES (...) or FROM KAFKA (...)");
        }
        Token from = next();
        String type = sourceType();
        PropertyList src = properties("FROM " + type);
        PropertyValidation.validateSource(type, src, false, from.line(), from.column());
        PropertyValidation.validateFormatAgainstSource(props, type, src);
        if (atWord("COMMENT")) { // Doris: accepted, not kept
            next();
            stringLiteral("a comment string after COMMENT");
        }
        return new CreateRoutineLoad(job, table, load, props, type, src);
    }

    private String sourceType() {
        Token t = peek();
        if (t.kind() != Token.Kind.WORD) {
            throw expected("KAFKA or KINESIS after FROM");
        }
        String u = t.upper();
        if (!u.equals("KAFKA") && !u.equals("KINESIS")) {
            throw err(t, "unknown data source " + t.describe() + ": Inlet reads FROM KAFKA or FROM KINESIS");
        }
        next();
        return u;
    }

    private Statement alter() {
        expectRoutineLoad("ALTER");
        expectWord("FOR", "after ALTER ROUTINE LOAD");
        JobRef job = jobRef("a job name after FOR");
        if (atWord("SET")) {
            throw err(peek(), "SET TARGET TABLE is not supported by Inlet: create a new job for the other table");
        }
        Token start = peek();
        LoadDescription load = loadClauses();
        PropertyList props = PropertyList.EMPTY;
        if (atWord("PROPERTIES")) {
            next();
            props = properties("PROPERTIES");
            PropertyValidation.validateJob(props, true);
        }
        String type = null;
        PropertyList src = PropertyList.EMPTY;
        if (atWord("FROM")) {
            Token from = next();
            type = sourceType();
            src = properties("FROM " + type);
            PropertyValidation.validateSource(type, src, true, from.line(), from.column());
        }
        if (peek() == start) {
            throw expected("load clauses, PROPERTIES (...) or FROM KAFKA (...) to change");
        }
        return new AlterRoutineLoad(job, load, props, type, src);
    }

    private Statement pauseOrResume(String verb) {
        boolean all = acceptWord("ALL");
        expectRoutineLoad(all ? verb + " ALL" : verb);
        if (all) {
            if (atWord("FOR")) {
                throw err(peek(), verb + " ALL ROUTINE LOAD applies to every job and takes no FOR clause");
            }
            return verb.equals("PAUSE") ? new PauseRoutineLoad(null, true) : new ResumeRoutineLoad(null, true);
        }
        expectWord("FOR", "after " + verb + " ROUTINE LOAD");
        JobRef job = jobRef("a job name after FOR");
        return verb.equals("PAUSE") ? new PauseRoutineLoad(job, false) : new ResumeRoutineLoad(job, false);
    }

    private static final Set<String> STATES = Set.of("NEED_SCHEDULE", "RUNNING", "PAUSED", "UNSTABLE", "STOPPED",
            "CANCELLED");
    private static final List<String> ORDER_FIELDS = List.of("Id", "Name", "CreateTime", "PauseTime", "EndTime",
            "TableName", "State", "CurrentTaskNum");

    private Statement show() {
        boolean all = acceptWord("ALL");
        expectRoutineLoad(all ? "SHOW ALL" : "SHOW");
        if (atWord("TASK")) {
            if (all) {
                throw err(peek(), "SHOW ALL ROUTINE LOAD TASK is not a statement: write SHOW ROUTINE LOAD TASK");
            }
            next();
            String db = null;
            if (acceptWord("FROM")) {
                db = name("a database name after FROM");
            }
            expectWord("WHERE", "JobName = \"job\" after SHOW ROUTINE LOAD TASK");
            if (!peek().isWord("JobName")) {
                throw expected("JobName after WHERE");
            }
            next();
            expectSymbol("=", "after JobName");
            Token v = peek();
            if (v.kind() != Token.Kind.STRING && !isName(v)) {
                throw expected("a job name in quotes after JobName =");
            }
            next();
            return new ShowRoutineLoadTask(new JobRef(db, v.text()), db);
        }
        JobRef job = null;
        String db = null;
        if (acceptWord("FOR")) {
            job = jobRef("a job name after FOR");
        }
        if (acceptWord("FROM")) {
            db = name("a database name after FROM");
        }
        String state = null;
        if (acceptWord("WHERE")) {
            if (!peek().isWord("State")) {
                throw expected("State after WHERE (SHOW ROUTINE LOAD filters on State only)");
            }
            next();
            expectSymbol("=", "after State");
            Token v = peek();
            if (v.kind() != Token.Kind.STRING && v.kind() != Token.Kind.WORD) {
                throw expected("a state in quotes after State =");
            }
            next();
            state = v.text().toUpperCase(Locale.ROOT);
            if (!STATES.contains(state)) {
                throw err(v, "unknown state " + v.describe() + "; expected one of NEED_SCHEDULE, RUNNING, PAUSED, "
                        + "UNSTABLE, STOPPED, CANCELLED");
            }
        }
        String orderBy = null;
        boolean desc = false;
        if (acceptWord("ORDER")) {
            expectWord("BY", "after ORDER");
            Token f = peek();
            String field = name("a column name after ORDER BY");
            orderBy = ORDER_FIELDS.stream().filter(x -> x.equalsIgnoreCase(field)).findFirst()
                    .orElseThrow(() -> err(f, "cannot order SHOW ROUTINE LOAD by " + f.describe() + "; expected one of "
                            + String.join(", ", ORDER_FIELDS)));
            if (acceptWord("DESC")) {
                desc = true;
            } else {
                acceptWord("ASC");
            }
        }
        long limit = -1;
        long offset = 0;
        if (acceptWord("LIMIT")) {
            limit = count("a row count after LIMIT");
            if (acceptSymbol(",")) {
                offset = limit;
                limit = count("a row count after LIMIT offset,");
            } else if (acceptWord("OFFSET")) {
                offset = count("a row count after OFFSET");
            }
        }
        return new ShowRoutineLoad(job, all, db, state, orderBy, desc, limit, offset);
    }

    private long count(String what) {
        if (peek().kind() != Token.Kind.INTEGER) {
            throw expected(what);
        }
        Token t = next();
        try {
            return Long.parseLong(t.text());
        } catch (NumberFormatException e) {
            throw err(t, "row count " + t.text() + " is too large");
        }
    }

    // ===================================================================================== load clauses

    private static final class LoadBuilder {
        String columnSeparator;
        String rowDelimiter;
        List<ColumnMapping> columns = List.of();
        Expr where;
        List<String> partitions = List.of();
        boolean temporary;
        boolean columnsGiven;

        LoadDescription build() {
            return new LoadDescription(columnSeparator, rowDelimiter, columns, where, partitions, temporary);
        }
    }

    private LoadDescription loadClauses() {
        LoadBuilder b = new LoadBuilder();
        while (true) {
            Token t = peek();
            if (t.isWord("COLUMNS")) {
                next();
                if (atWord("TERMINATED")) {
                    next();
                    expectWord("BY", "after COLUMNS TERMINATED");
                    if (b.columnSeparator != null) {
                        throw err(t, "COLUMNS TERMINATED BY is given twice");
                    }
                    b.columnSeparator = separator("a separator in quotes after COLUMNS TERMINATED BY");
                } else if (atSymbol("(")) {
                    if (b.columnsGiven) {
                        throw err(t, "the COLUMNS list is given twice");
                    }
                    b.columns = columnList();
                    b.columnsGiven = true;
                } else {
                    throw expected("TERMINATED BY or '(' after COLUMNS");
                }
            } else if (t.isWord("ROWS")) {
                next();
                expectWord("TERMINATED", "after ROWS");
                expectWord("BY", "after ROWS TERMINATED");
                if (b.rowDelimiter != null) {
                    throw err(t, "ROWS TERMINATED BY is given twice");
                }
                b.rowDelimiter = separator("a delimiter in quotes after ROWS TERMINATED BY");
            } else if (t.isWord("WHERE")) {
                next();
                if (b.where != null) {
                    throw err(t, "the WHERE clause is given twice");
                }
                b.where = expr();
            } else if (t.isWord("PARTITION") || t.isWord("PARTITIONS") || t.isWord("TEMPORARY")) {
                next();
                boolean temp = t.isWord("TEMPORARY");
                if (temp && !acceptWord("PARTITION") && !acceptWord("PARTITIONS")) {
                    throw expected("PARTITION after TEMPORARY");
                }
                if (!b.partitions.isEmpty()) {
                    throw err(t, "PARTITION is given twice (a job loads either PARTITION or TEMPORARY PARTITION)");
                }
                b.partitions = partitionList();
                b.temporary = temp;
            } else if (t.isWord("DELETE")) {
                next();
                expectWord("ON", "after DELETE");
                expr();
                throw err(t, "DELETE ON is not supported by Inlet: it needs the Doris MERGE load type");
            } else if (t.isWord("ORDER")) {
                next();
                expectWord("BY", "after ORDER");
                name("a sequence column after ORDER BY");
                throw err(t, "ORDER BY (a Doris sequence column) is not supported by Inlet");
            } else if (t.isWord("PRECEDING")) {
                next();
                expectWord("FILTER", "after PRECEDING");
                expr();
                throw err(t, "PRECEDING FILTER is not supported by Inlet: filter with WHERE");
            } else {
                return b.build();
            }
            acceptSymbol(","); // clauses are comma-separated; a missing or trailing comma is tolerated
        }
    }

    private String separator(String what) {
        Token t = peek();
        String s = stringLiteral(what);
        if (s.isEmpty()) {
            throw err(t, "the separator must not be empty");
        }
        if (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 50) {
            throw err(t, "the separator is longer than 50 bytes");
        }
        return s;
    }

    private List<ColumnMapping> columnList() {
        Token open = expectSymbol("(", "after COLUMNS");
        if (atSymbol(")")) {
            throw err(peek(), "empty COLUMNS list: name at least one column");
        }
        List<ColumnMapping> out = new ArrayList<>();
        Map<String, Token> seen = new HashMap<>();
        while (true) {
            Token nt = peek();
            if (!isName(nt)) {
                throw expected("a column name in the COLUMNS list");
            }
            next();
            String key = nt.text().toLowerCase(Locale.ROOT);
            Token prev = seen.put(key, nt);
            if (prev != null) {
                throw err(nt, "column '" + nt.text() + "' appears twice in the COLUMNS list (first at line "
                        + prev.line() + ", column " + prev.column() + ")");
            }
            Expr e = null;
            if (acceptSymbol("=")) {
                e = expr();
            }
            out.add(new ColumnMapping(nt.text(), e));
            if (acceptSymbol(",")) {
                continue;
            }
            if (acceptSymbol(")")) {
                return out;
            }
            throw err(peek(), "expected ',' or ')' to close the COLUMNS list opened at line " + open.line()
                    + ", column " + open.column() + ", found " + peek().describe());
        }
    }

    private List<String> partitionList() {
        Token open = expectSymbol("(", "after PARTITION");
        if (atSymbol(")")) {
            throw err(peek(), "empty PARTITION list: name at least one partition");
        }
        List<String> out = new ArrayList<>();
        while (true) {
            Token nt = peek();
            String p = name("a partition name");
            if (out.stream().anyMatch(x -> x.equalsIgnoreCase(p))) {
                throw err(nt, "partition '" + p + "' appears twice");
            }
            out.add(p);
            if (acceptSymbol(",")) {
                continue;
            }
            if (acceptSymbol(")")) {
                return out;
            }
            throw err(peek(), "expected ',' or ')' to close the PARTITION list opened at line " + open.line()
                    + ", column " + open.column() + ", found " + peek().describe());
        }
    }

    // ===================================================================================== properties

    private PropertyList properties(String clause) {
        if (!atSymbol("(")) {
            throw expected("'(' after " + clause);
        }
        Token open = next();
        List<Property> out = new ArrayList<>();
        Map<String, Property> seen = new HashMap<>();
        if (acceptSymbol(")")) {
            return PropertyList.EMPTY;
        }
        while (true) {
            Token kt = peek();
            String key;
            if (kt.kind() == Token.Kind.STRING || kt.kind() == Token.Kind.QUOTED_NAME) {
                next();
                key = kt.text();
            } else if (kt.kind() == Token.Kind.WORD) {
                next();
                StringBuilder sb = new StringBuilder(kt.text());
                while (atSymbol(".") && peek(1).kind() == Token.Kind.WORD) {
                    next();
                    sb.append('.').append(next().text());
                }
                key = sb.toString();
            } else {
                throw expected("a property name in quotes in " + clause);
            }
            if (key.trim().isEmpty()) {
                throw err(kt, "empty property name in " + clause);
            }
            if (!atSymbol("=")) {
                throw err(peek(), "expected '=' after property '" + key + "', found " + describe(peek(), key));
            }
            next();
            Token vt = peek();
            String value;
            switch (vt.kind()) {
                case STRING, INTEGER, DECIMAL, DOUBLE, WORD -> value = next().text();
                case SYMBOL -> {
                    if (vt.isSymbol("-") && (peek(1).kind() == Token.Kind.INTEGER || peek(1).kind() == Token.Kind.DECIMAL)) {
                        next();
                        value = "-" + next().text();
                    } else {
                        throw expected("a value in quotes for property '" + key + "'");
                    }
                }
                default -> throw expected("a value in quotes for property '" + key + "'");
            }
            Property p = new Property(key, value, kt.line(), kt.column());
            Property prev = seen.put(p.normalizedKey(), p);
            if (prev != null) {
                throw err(kt, "duplicate property '" + key + "' in " + clause + " (first given at line " + prev.line()
                        + ", column " + prev.column() + ")");
            }
            out.add(p);
            if (acceptSymbol(",")) {
                if (acceptSymbol(")")) {
                    return new PropertyList(out); // trailing comma
                }
                continue;
            }
            if (acceptSymbol(")")) {
                return new PropertyList(out);
            }
            throw err(peek(), "expected ',' or ')' to close " + clause + " opened at line " + open.line() + ", column "
                    + open.column() + ", found " + describe(peek(), key));
        }
    }

    /** Describes a token near a property without revealing a secret value. */
    private static String describe(Token t, String key) {
        if (KafkaPropertyDefs.isSecret(key) && t.kind() != Token.Kind.EOF && t.kind() != Token.Kind.SYMBOL) {
            return "'******'";
        }
        return t.describe();
    }

    // ===================================================================================== expressions

    Expr expr() {
        return or();
    }

    private Expr or() {
        Expr left = and();
        while (atWord("OR") || atSymbol("||")) {
            Token op = next();
            left = new BinaryOp(BinaryOp.Op.OR, left, and(), op.line(), op.column());
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (atWord("AND") || atSymbol("&&")) {
            Token op = next();
            left = new BinaryOp(BinaryOp.Op.AND, left, not(), op.line(), op.column());
        }
        return left;
    }

    private Expr not() {
        if (atWord("NOT")) {
            Token op = next();
            return new UnaryOp(UnaryOp.Op.NOT, not(), op.line(), op.column());
        }
        return predicate();
    }

    private static final Map<String, BinaryOp.Op> COMPARISONS = Map.of(
            "=", BinaryOp.Op.EQ, "==", BinaryOp.Op.EQ, "<=>", BinaryOp.Op.NULL_SAFE_EQ, "!=", BinaryOp.Op.NE,
            "<>", BinaryOp.Op.NE, "<", BinaryOp.Op.LT, "<=", BinaryOp.Op.LE, ">", BinaryOp.Op.GT,
            ">=", BinaryOp.Op.GE);

    private Expr predicate() {
        Expr left = additive();
        while (true) {
            Token t = peek();
            if (t.kind() == Token.Kind.SYMBOL && COMPARISONS.containsKey(t.text())) {
                next();
                left = new BinaryOp(COMPARISONS.get(t.text()), left, additive(), t.line(), t.column());
                continue;
            }
            if (t.isWord("IS")) {
                next();
                boolean neg = acceptWord("NOT");
                expectWord("NULL", neg ? "after IS NOT" : "after IS");
                left = new IsNull(left, neg, t.line(), t.column());
                continue;
            }
            boolean neg = false;
            if (t.isWord("NOT") && (peek(1).isWord("IN") || peek(1).isWord("BETWEEN") || peek(1).isWord("LIKE"))) {
                next();
                neg = true;
            }
            Token op = peek();
            if (op.isWord("IN")) {
                next();
                Token open = expectSymbol("(", "after IN");
                List<Expr> values = new ArrayList<>();
                if (atSymbol(")")) {
                    throw err(peek(), "empty IN list");
                }
                while (true) {
                    values.add(expr());
                    if (acceptSymbol(",")) {
                        continue;
                    }
                    if (acceptSymbol(")")) {
                        break;
                    }
                    throw unclosed(open, "the IN list");
                }
                left = new InList(left, values, neg, op.line(), op.column());
            } else if (op.isWord("BETWEEN")) {
                next();
                Expr lo = additive();
                expectWord("AND", "in BETWEEN ... AND ...");
                Expr hi = additive();
                left = new Between(left, lo, hi, neg, op.line(), op.column());
            } else if (op.isWord("LIKE")) {
                next();
                left = new Like(left, additive(), neg, op.line(), op.column());
            } else {
                return left;
            }
        }
    }

    private StatementException unclosed(Token open, String what) {
        return err(peek(), "expected ',' or ')' to close " + what + " opened at line " + open.line() + ", column "
                + open.column() + ", found " + peek().describe());
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (atSymbol("+") || atSymbol("-")) {
            Token op = next();
            BinaryOp.Op o = op.text().equals("+") ? BinaryOp.Op.ADD : BinaryOp.Op.SUB;
            left = new BinaryOp(o, left, multiplicative(), op.line(), op.column());
        }
        return left;
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (true) {
            Token op = peek();
            BinaryOp.Op o;
            if (op.isSymbol("*")) {
                o = BinaryOp.Op.MUL;
            } else if (op.isSymbol("/")) {
                o = BinaryOp.Op.DIVIDE;
            } else if (op.isSymbol("%") || op.isWord("MOD")) {
                o = BinaryOp.Op.MOD;
            } else if (op.isWord("DIV")) {
                o = BinaryOp.Op.INT_DIVIDE;
            } else {
                return left;
            }
            next();
            left = new BinaryOp(o, left, unary(), op.line(), op.column());
        }
    }

    private Expr unary() {
        Token t = peek();
        if (t.isSymbol("-")) {
            next();
            Token n = peek();
            if (n.kind() == Token.Kind.INTEGER || n.kind() == Token.Kind.DECIMAL || n.kind() == Token.Kind.DOUBLE) {
                next();
                return new Literal(negate(number(n)), t.line(), t.column());
            }
            return new UnaryOp(UnaryOp.Op.NEGATE, unary(), t.line(), t.column());
        }
        if (t.isSymbol("+")) {
            next();
            return unary();
        }
        if (t.isSymbol("!")) {
            next();
            return new UnaryOp(UnaryOp.Op.NOT, unary(), t.line(), t.column());
        }
        return primary();
    }

    private static Object negate(Object n) {
        if (n instanceof Long l) {
            return -l;
        }
        if (n instanceof BigInteger b) {
            BigInteger r = b.negate();
            return r.bitLength() < 64 ? (Object) r.longValue() : r;
        }
        if (n instanceof BigDecimal d) {
            return d.negate();
        }
        return -(Double) n;
    }

    private Object number(Token t) {
        String s = t.text();
        switch (t.kind()) {
            case INTEGER -> {
                BigInteger b = new BigInteger(s);
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            case DECIMAL -> {
                return new BigDecimal(s.startsWith(".") ? "0" + s : s);
            }
            default -> {
                double d = Double.parseDouble(s);
                if (Double.isInfinite(d)) {
                    throw err(t, "number " + s + " is out of the DOUBLE range");
                }
                return d;
            }
        }
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case INTEGER, DECIMAL, DOUBLE -> {
                next();
                return new Literal(number(t), t.line(), t.column());
            }
            case STRING -> {
                next();
                return new Literal(t.text(), t.line(), t.column());
            }
            case QUOTED_NAME -> {
                next();
                return new ColumnRef(t.text(), t.line(), t.column());
            }
            case SYMBOL -> {
                if (t.isSymbol("(")) {
                    next();
                    Expr e = expr();
                    if (!acceptSymbol(")")) {
                        throw err(peek(), "expected ')' to close '(' opened at line " + t.line() + ", column "
                                + t.column() + ", found " + peek().describe());
                    }
                    return e;
                }
                throw expected("an expression");
            }
            case WORD -> {
                return word(t);
            }
            default -> throw expected("an expression");
        }
    }

    private Expr word(Token t) {
        String u = t.upper();
        switch (u) {
            case "NULL" -> {
                next();
                return new Literal(null, t.line(), t.column());
            }
            case "TRUE", "FALSE" -> {
                next();
                return new Literal(u.equals("TRUE"), t.line(), t.column());
            }
            case "CASE" -> {
                next();
                return caseWhen(t);
            }
            case "CAST" -> {
                if (peek(1).isSymbol("(")) {
                    next();
                    return cast(t);
                }
            }
            case "CURRENT_TIMESTAMP", "CURRENT_DATE", "LOCALTIME", "LOCALTIMESTAMP" -> {
                next();
                if (acceptSymbol("(")) {
                    expectSymbol(")", "after " + u + "(");
                }
                return new FunctionCall(u, List.of(), t.line(), t.column());
            }
            default -> {
            }
        }
        if (peek(1).isSymbol("(") && (!SqlText.isExpressionKeyword(u) || u.equals("MOD"))) {
            next();
            Token open = next();
            List<Expr> args = new ArrayList<>();
            if (!acceptSymbol(")")) {
                while (true) {
                    args.add(expr());
                    if (acceptSymbol(",")) {
                        continue;
                    }
                    if (acceptSymbol(")")) {
                        break;
                    }
                    throw err(peek(), "expected ',' or ')' to close the arguments of " + t.text() + "( opened at line "
                            + open.line() + ", column " + open.column() + ", found " + peek().describe());
                }
            }
            return new FunctionCall(t.text(), args, t.line(), t.column());
        }
        if (SqlText.isExpressionKeyword(u)) {
            throw expected("an expression");
        }
        next();
        return new ColumnRef(t.text(), t.line(), t.column());
    }

    private Expr caseWhen(Token start) {
        Expr operand = null;
        if (!atWord("WHEN")) {
            operand = expr();
        }
        List<CaseWhen.When> whens = new ArrayList<>();
        while (acceptWord("WHEN")) {
            Expr w = expr();
            expectWord("THEN", "after the WHEN condition");
            whens.add(new CaseWhen.When(w, expr()));
        }
        if (whens.isEmpty()) {
            throw expected("WHEN in CASE");
        }
        Expr otherwise = null;
        if (acceptWord("ELSE")) {
            otherwise = expr();
        }
        if (!atWord("END")) {
            throw err(peek(), "expected WHEN, ELSE or END to finish the CASE opened at line " + start.line()
                    + ", column " + start.column() + ", found " + peek().describe());
        }
        next();
        return new CaseWhen(operand, whens, otherwise, start.line(), start.column());
    }

    private Expr cast(Token start) {
        expectSymbol("(", "after CAST");
        Expr e = expr();
        expectWord("AS", "in CAST(expr AS type)");
        SqlType type = type();
        expectSymbol(")", "to close CAST(");
        return new Cast(e, type, start.line(), start.column());
    }

    private SqlType type() {
        Token t = peek();
        if (t.kind() != Token.Kind.WORD) {
            throw expected("a type name");
        }
        SqlType.Kind kind = SqlType.kindOf(t.text());
        if (kind == null) {
            throw err(t, "unknown type " + t.describe() + "; expected one of " + SqlType.knownNames());
        }
        next();
        if (t.isWord("SIGNED") || t.isWord("UNSIGNED")) {
            acceptWord("INTEGER");
            acceptWord("INT");
        }
        try {
            switch (kind) {
                case DECIMAL -> {
                    int p = 10;
                    int s = 0;
                    if (acceptSymbol("(")) {
                        p = (int) count("a precision");
                        if (acceptSymbol(",")) {
                            s = (int) count("a scale");
                        }
                        expectSymbol(")", "after the DECIMAL precision and scale");
                    }
                    return SqlType.decimal(p, s);
                }
                case CHAR, VARCHAR -> {
                    int len = kind == SqlType.Kind.CHAR ? 1 : -1;
                    if (acceptSymbol("(")) {
                        len = (int) count("a length");
                        expectSymbol(")", "after the length");
                    }
                    return kind == SqlType.Kind.CHAR ? SqlType.charType(len) : SqlType.varchar(len);
                }
                default -> {
                    return SqlType.of(kind);
                }
            }
        } catch (IllegalArgumentException e) {
            throw err(t, e.getMessage());
        }
    }
}
