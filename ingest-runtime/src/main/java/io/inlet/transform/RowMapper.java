package io.inlet.transform;

import io.inlet.expr.CastException;
import io.inlet.expr.Casts;
import io.inlet.expr.EvalContext;
import io.inlet.expr.Evaluator;
import io.inlet.expr.Expr;
import io.inlet.expr.ExprCompiler;
import io.inlet.expr.KafkaMetadataFunctions;
import io.inlet.expr.SqlType;
import io.inlet.sink.ColumnDef;
import io.inlet.sink.TableSchema;
import io.inlet.sql.ColumnMapping;
import io.inlet.sql.LoadDescription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.Map;

/**
 * The COLUMNS and WHERE of a job, compiled once against the target table: turns a decoded
 * source row into a target row of converted values, or says why it is unselected or an error.
 * Not thread-safe: one per task.
 */
public final class RowMapper {

    public enum Outcome { LOADED, UNSELECTED, ERROR }

    private final List<String> sourceColumns;
    private final Evaluator[] derived;
    private final int sourceCount;
    private final Evaluator where;
    private final int[] targetSlot;
    private final SqlType[] targetTypes;
    private final boolean[] targetNullable;
    private final String[] targetNames;
    private final boolean strict;
    private final Object[] env;
    private final boolean readsMessageMetadata;
    private String lastError;

    private RowMapper(List<String> sourceColumns, Evaluator[] derived, Evaluator where, int[] targetSlot,
                      TableSchema table, boolean strict, boolean readsMessageMetadata) {
        this.readsMessageMetadata = readsMessageMetadata;
        this.sourceColumns = sourceColumns;
        this.derived = derived;
        this.sourceCount = sourceColumns.size();
        this.where = where;
        this.targetSlot = targetSlot;
        this.strict = strict;
        List<ColumnDef> cols = table.columns();
        this.targetTypes = cols.stream().map(ColumnDef::type).toArray(SqlType[]::new);
        this.targetNullable = new boolean[cols.size()];
        this.targetNames = cols.stream().map(ColumnDef::name).toArray(String[]::new);
        for (int i = 0; i < cols.size(); i++) {
            targetNullable[i] = cols.get(i).nullable();
        }
        this.env = new Object[sourceCount + derived.length];
    }

    /**
     * Compiles the mapping. Source columns are the COLUMNS entries without an expression, in
     * order (positions in CSV, jsonpaths order or JSON keys), or the table's columns when there
     * is no COLUMNS clause. Throws {@link MappingException} naming the column at fault.
     */
    public static RowMapper compile(LoadDescription load, TableSchema table, EvalContext ctx, boolean strict) {
        List<String> sources = new ArrayList<>();
        List<ColumnMapping> derivedMappings = new ArrayList<>();
        if (load.columns().isEmpty()) {
            table.columns().forEach(c -> sources.add(c.name()));
        } else {
            for (ColumnMapping m : load.columns()) {
                if (m.expr() == null) {
                    sources.add(m.name());
                } else {
                    derivedMappings.add(m);
                }
            }
        }
        Map<String, Integer> slots = new HashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            slots.putIfAbsent(key(sources.get(i)), i);
        }
        Evaluator[] derived = new Evaluator[derivedMappings.size()];
        for (int i = 0; i < derivedMappings.size(); i++) {
            ColumnMapping m = derivedMappings.get(i);
            int target = table.indexOf(m.name());
            derived[i] = target >= 0 && !usedByOthers(m.name(), load)
                    ? ExprCompiler.compileFor(m.expr(), table.columns().get(target).type(),
                            name -> slots.getOrDefault(key(name), -1), ctx)
                    : ExprCompiler.compile(m.expr(), name -> slots.getOrDefault(key(name), -1), ctx);
            slots.put(key(m.name()), sources.size() + i);
        }
        Evaluator where = load.where() == null ? null
                : ExprCompiler.compile(load.where(), name -> slots.getOrDefault(key(name), -1), ctx);
        int[] targetSlot = new int[table.columns().size()];
        boolean anyMapped = false;
        for (int i = 0; i < targetSlot.length; i++) {
            targetSlot[i] = slots.getOrDefault(key(table.columns().get(i).name()), -1);
            anyMapped |= targetSlot[i] >= 0;
        }
        if (!anyMapped) {
            throw new MappingException("no column of COLUMNS matches a column of table " + table.qualifiedName()
                    + " (its columns: " + table.columns().stream().map(ColumnDef::name).toList() + ")");
        }
        for (ColumnMapping m : derivedMappings) {
            if (table.indexOf(m.name()) < 0 && !usedByOthers(m.name(), load)) {
                throw new MappingException("column '" + m.name() + "' of COLUMNS is not a column of table "
                        + table.qualifiedName() + " (its columns: " + table.columns().stream().map(ColumnDef::name).toList()
                        + ")", m.expr().line(), m.expr().column());
            }
        }
        List<Expr> exprs = new ArrayList<>();
        derivedMappings.forEach(m -> exprs.add(m.expr()));
        exprs.add(load.where());
        return new RowMapper(List.copyOf(sources), derived, where, targetSlot, table, strict,
                KafkaMetadataFunctions.anyIn(exprs));
    }

    private static boolean usedByOthers(String name, LoadDescription load) {
        // a whole word: column e is not used by from_unixtime(a)
        Pattern word = Pattern.compile("(?<![\\w$])" + Pattern.quote(name) + "(?![\\w$])", Pattern.CASE_INSENSITIVE);
        for (ColumnMapping m : load.columns()) {
            if (m.expr() != null && !m.name().equalsIgnoreCase(name) && word.matcher(m.expr().toSql()).find()) {
                return true;
            }
        }
        return load.where() != null && word.matcher(load.where().toSql()).find();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether COLUMNS or WHERE read the source message's metadata ({@code kafka_key()}, ...): only then must
     * the caller set the context's current message before each message.
     */
    public boolean readsMessageMetadata() {
        return readsMessageMetadata;
    }

    public List<String> sourceColumns() {
        return sourceColumns;
    }

    /** The reason of the last {@link Outcome#ERROR}. */
    public String lastError() {
        return lastError;
    }

    /** Maps {@code source} (sourceColumns() values) into {@code target} (one value per table column). */
    public Outcome map(Object[] source, Object[] target) {
        System.arraycopy(source, 0, env, 0, sourceCount);
        for (int i = 0; i < derived.length; i++) {
            env[sourceCount + i] = derived[i].eval(env);
        }
        if (where != null && !Boolean.TRUE.equals(where.eval(env))) {
            return Outcome.UNSELECTED;
        }
        for (int i = 0; i < targetSlot.length; i++) {
            int slot = targetSlot[i];
            Object raw = slot < 0 ? null : env[slot];
            Object value;
            try {
                value = Casts.cast(raw, targetTypes[i]);
            } catch (CastException e) {
                if (strict) {
                    lastError = "column '" + targetNames[i] + "': " + e.getMessage() + " (strict_mode is true)";
                    return Outcome.ERROR;
                }
                value = null;
            }
            if (value == null && !targetNullable[i]) {
                lastError = "column '" + targetNames[i] + "' is NOT NULL but the value is NULL"
                        + (raw == null ? "" : " (" + describe(raw) + " could not be converted to " + targetTypes[i].kind() + ")");
                return Outcome.ERROR;
            }
            target[i] = value;
        }
        return Outcome.LOADED;
    }

    private static String describe(Object raw) {
        String s = String.valueOf(raw);
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
}
