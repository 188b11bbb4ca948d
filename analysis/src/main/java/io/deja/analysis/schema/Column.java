package io.deja.analysis.schema;

/**
 * One column of an exported table.
 *
 * @param name     column name
 * @param type     its type
 * @param nullable whether it can be NULL (derived values that are not always known)
 * @param field    index of the recorded event field it is copied from, {@link #CPU} for the
 *                 event's CPU number, or {@link #DERIVED} when the exporter derives it
 * @param doc      what it means (the schema documentation prints it)
 */
public record Column(String name, ColumnType type, boolean nullable, int field, String doc) {
    /** field of a column the exporter derives. */
    public static final int DERIVED = -1;
    /** field of the cpu column: the recorded CPU number of the event. */
    public static final int CPU = -2;

    public boolean derived() {
        return field == DERIVED;
    }
}
