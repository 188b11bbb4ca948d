package io.deja.core.trace;

/** How an event field is typed in TraceSink calls and stored in a recording (see events.schema). */
public enum FieldType {
    /** Unsigned byte (0-255); an int argument. */
    U8,
    /** 32-bit signed integer. */
    I32,
    /** 64-bit integer (addresses and register values are unsigned in meaning). */
    I64,
    /** A 64-bit address, stored as the difference from the previous event's pc. */
    PC,
    BOOL,
    /** A byte string. */
    BYTES,
    /** A long[] argument, stored (and read back) as its values' little-endian bytes. */
    LONGS;

    /** Whether values of this type are held in a long (everything but BYTES and LONGS). */
    public boolean scalar() {
        return this != BYTES && this != LONGS;
    }

    /** The Java type of the TraceSink argument. */
    public String javaType() {
        return switch (this) {
            case U8, I32 -> "int";
            case I64, PC -> "long";
            case BOOL -> "boolean";
            case BYTES -> "byte[]";
            case LONGS -> "long[]";
        };
    }
}
