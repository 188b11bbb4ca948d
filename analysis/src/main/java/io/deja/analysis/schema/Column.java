package io.deja.analysis.schema;

/**
 * One column of an exported table.
 *
 * @param name     column name
 * @param type     its type
 * @param nullable whether it can be NULL (derived values that are not always known)
 * @param field    index of the recorded event field it is copied from, or -1 when the exporter derives it
 * @param doc      what it means (the schema documentation prints it)
 */
public record Column(String name, ColumnType type, boolean nullable, int field, String doc) {
    public boolean derived() {
        return field < 0;
    }
}
