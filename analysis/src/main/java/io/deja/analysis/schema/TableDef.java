package io.deja.analysis.schema;

import io.deja.core.trace.EventType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.List;

/**
 * One exported table: its name (the Arrow file is name.arrow, the DuckDB table
 * has this name), what a row is, its columns, and the event type its rows come
 * from (null for runs).
 */
public record TableDef(String name, String doc, EventType source, List<Column> columns) {
    public TableDef {
        columns = List.copyOf(columns);
    }

    /** The schema of the Arrow file (a dictionary column's dictionary id is its column index). */
    public Schema arrowSchema() {
        List<org.apache.arrow.vector.types.pojo.Field> fields = new java.util.ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            fields.add(c.type().arrowField(c.name(), c.nullable(), i));
        }
        return new Schema(fields);
    }

    /** Index of the named column; IllegalArgumentException if there is none (a bug in the exporter). */
    public int index(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) return i;
        }
        throw new IllegalArgumentException(name + " has no column " + column);
    }

    public String fileName() {
        return name + ".arrow";
    }
}
