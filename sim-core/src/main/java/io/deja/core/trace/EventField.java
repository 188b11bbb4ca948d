package io.deja.core.trace;

/**
 * One field of an event as events.schema declares it.
 *
 * @param name       its name (the exported column's)
 * @param type       how it is passed and stored
 * @param display    how reports show it
 * @param codes      the code table of a CODES field, else null
 * @param param      the name of its TraceSink argument
 * @param nameColumn the derived column naming its value (see {@link Display#named()}), else null
 * @param compared   whether replay compares it
 * @param doc        what it means
 */
public record EventField(String name, FieldType type, Display display, CodeTable codes, String param, String nameColumn,
                         boolean compared, String doc) {
    /** The value as reports show it (see {@link Display#format}). */
    public String format(long v, byte[] data, java.util.List<String> devices) {
        return display.format(this, v, data, devices);
    }
}
