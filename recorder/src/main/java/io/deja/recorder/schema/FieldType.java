package io.deja.recorder.schema;

/** The value types an event field can have. */
public enum FieldType {
    /** Unsigned byte (0-255). */
    U8,
    /** 32-bit signed integer. */
    I32,
    /** 64-bit integer (addresses and register values are unsigned in meaning). */
    I64,
    BOOL,
    /** A byte string. */
    BYTES
}
