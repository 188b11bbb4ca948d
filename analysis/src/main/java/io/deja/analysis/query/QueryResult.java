package io.deja.analysis.query;

import java.util.List;

/**
 * The result of a query: column names, their DuckDB types, and the rows
 * (values as the DuckDB JDBC driver returns them; {@link ResultFormat} prints them).
 */
public record QueryResult(List<String> columns, List<String> types, List<Object[]> rows) {
    public QueryResult {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        rows = List.copyOf(rows);
    }

    /** A statement that returned no result set. */
    public static QueryResult empty() {
        return new QueryResult(List.of(), List.of(), List.of());
    }
}
