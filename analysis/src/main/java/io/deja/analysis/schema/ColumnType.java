package io.deja.analysis.schema;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.util.List;

/**
 * The column types of exported tables, each with its Arrow type and the type
 * DuckDB gives it after loading (the name the schema documentation shows).
 *
 * Small recorded integers (u8 fields) become INTEGER, not UTINYINT: DuckDB
 * checks overflow per type, so `size * 2` on a UTINYINT column would fail.
 * Addresses, register values and opcodes are unsigned so that literals such as
 * 0xffff000008001234 compare as expected.
 */
public enum ColumnType {
    INT("INTEGER"),
    UINT("UINTEGER"),
    BIGINT("BIGINT"),
    UBIGINT("UBIGINT"),
    DOUBLE("DOUBLE"),
    BOOLEAN("BOOLEAN"),
    BLOB("BLOB"),
    VARCHAR("VARCHAR"),
    /**
     * Text from a small set (disassembly, register names), stored as int32
     * indices into a dictionary written once at the end of the file: a third
     * of the bytes of plain text for insns. Loaded into DuckDB as VARCHAR.
     */
    VARCHAR_DICT("VARCHAR"),
    /** A list of strings (runs.devices). */
    VARCHAR_LIST("VARCHAR[]"),
    /** The loaded images (runs.images). */
    IMAGE_LIST("STRUCT(path VARCHAR, sha256 VARCHAR, size BIGINT)[]");

    /** The type DuckDB reports for the column (DESCRIBE). */
    public final String sqlName;

    ColumnType(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The Arrow field for a column of this type; dictionaryId identifies a VARCHAR_DICT column's dictionary in its file. */
    public Field arrowField(String name, boolean nullable, long dictionaryId) {
        FieldType ft = new FieldType(nullable, arrowType(), this == VARCHAR_DICT ? dictionaryEncoding(dictionaryId) : null);
        return switch (this) {
            case VARCHAR_LIST -> new Field(name, ft, List.of(Field.notNullable("item", ArrowType.Utf8.INSTANCE)));
            case IMAGE_LIST -> new Field(name, ft, List.of(new Field("item", FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(
                    Field.notNullable("path", ArrowType.Utf8.INSTANCE),
                    Field.notNullable("sha256", ArrowType.Utf8.INSTANCE),
                    Field.notNullable("size", new ArrowType.Int(64, true))))));
            default -> new Field(name, ft, null);
        };
    }

    public static DictionaryEncoding dictionaryEncoding(long id) {
        return new DictionaryEncoding(id, false, new ArrowType.Int(32, true));
    }

    private ArrowType arrowType() {
        return switch (this) {
            case INT, VARCHAR_DICT -> new ArrowType.Int(32, true);
            case UINT -> new ArrowType.Int(32, false);
            case BIGINT -> new ArrowType.Int(64, true);
            case UBIGINT -> new ArrowType.Int(64, false);
            case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BOOLEAN -> ArrowType.Bool.INSTANCE;
            case BLOB -> ArrowType.Binary.INSTANCE;
            case VARCHAR -> ArrowType.Utf8.INSTANCE;
            case VARCHAR_LIST, IMAGE_LIST -> ArrowType.List.INSTANCE;
        };
    }
}
