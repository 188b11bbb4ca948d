package io.deja.recorder.schema;

/** One field of an event: its column name in exported tables, its type, and what it means. */
public record Field(String name, FieldType type, String doc) {
    static Field icount() {
        return new Field("icount", FieldType.I64, "Instructions retired before the event (for insns, reg_writes, mem_writes: the index of the instruction).");
    }

    static Field pc(String doc) {
        return new Field("pc", FieldType.I64, doc);
    }

    static Field i64(String name, String doc) { return new Field(name, FieldType.I64, doc); }
    static Field i32(String name, String doc) { return new Field(name, FieldType.I32, doc); }
    static Field u8(String name, String doc) { return new Field(name, FieldType.U8, doc); }
    static Field bool(String name, String doc) { return new Field(name, FieldType.BOOL, doc); }
    static Field bytes(String name, String doc) { return new Field(name, FieldType.BYTES, doc); }
}
