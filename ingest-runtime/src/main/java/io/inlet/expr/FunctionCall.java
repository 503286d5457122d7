package io.inlet.expr;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/** {@code name(arg, ...)}; the name is kept in lower case. */
public record FunctionCall(String name, List<Expr> args, int line, int column) implements Expr {
    public FunctionCall {
        name = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
        args = List.copyOf(args);
    }

    public FunctionCall(String name, List<Expr> args) {
        this(name, args, 0, 0);
    }

    @Override
    public String toSql() {
        return name + "(" + args.stream().map(Expr::toSql).collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FunctionCall f && f.name.equals(name) && f.args.equals(args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, args);
    }
}
