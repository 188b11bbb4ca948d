package io.deja.analysis.export;

import io.deja.analysis.schema.Column;
import io.deja.analysis.schema.ColumnType;
import io.deja.analysis.schema.TableDef;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Writes the rows of one table to an Arrow IPC file in batches of
 * {@link #BATCH} rows. Usage: set the row's columns, then {@link #endRow()}.
 *
 * Speed matters (tens of millions of rows): fixed-width values go straight
 * into the data buffers, validity is set once per batch (a column that is
 * NULL in a row says so with {@link #setNull}), and a full batch is handed
 * over (Arrow's zero-copy transfer) to a second set of vectors that the io
 * thread writes to the file while this thread fills the next batch: writing
 * the file is half of the export's time.
 *
 * The file is written under a temporary name and renamed at {@link #close()};
 * the io thread first removes the old file (freeing a large file's pages costs
 * as much as writing a new one).
 */
public final class TableWriter implements AutoCloseable {
    public static final int BATCH = 128 * 1024;

    private final TableDef def;
    private final Path file, tmp;
    private final ExecutorService io;
    private final VectorSchemaRoot fill, out;
    private final TransferPair[] transfers;
    private final FileChannel channel;
    private final ArrowFileWriter writer;
    private final FieldVector[] vectors;
    private final ArrowBuf[] data;
    private final boolean[] fixed;
    private final int[][] nulls;
    private final int[] nullCount;
    private final int capacity;
    private final VarCharVector[] dictionaries;
    private final int[] dictionarySize;
    private Future<?> pending;
    private int row;
    private long rows;
    private boolean closed;

    /** io runs the file writes (one thread for every table of an export keeps each file's batches in order). */
    public TableWriter(TableDef def, Path file, BufferAllocator allocator, ExecutorService io) {
        this.def = def;
        this.file = file;
        this.tmp = file.resolveSibling(file.getFileName() + ".tmp");
        this.io = io;
        this.capacity = def.source() == null ? 1 : BATCH;
        fill = VectorSchemaRoot.create(def.arrowSchema(), allocator);
        out = VectorSchemaRoot.create(def.arrowSchema(), allocator);
        int n = def.columns().size();
        dictionaries = new VarCharVector[n];
        dictionarySize = new int[n];
        DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
        for (int i = 0; i < n; i++) {
            if (def.columns().get(i).type() != ColumnType.VARCHAR_DICT) continue;
            dictionaries[i] = new VarCharVector(def.columns().get(i).name(), allocator);
            dictionaries[i].allocateNew();
            provider.put(new Dictionary(dictionaries[i], ColumnType.dictionaryEncoding(i)));
        }
        try {
            Files.deleteIfExists(tmp);
            channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            writer = new DictionaryAtEndWriter(out, provider, channel);
            writer.start();
        } catch (IOException e) {
            closeVectors();
            throw new UncheckedIOException("cannot write " + tmp + ": " + e.getMessage(), e);
        }
        pending = io.submit(() -> {
            Files.deleteIfExists(file);
            return null;
        });
        vectors = fill.getFieldVectors().toArray(new FieldVector[0]);
        transfers = new TransferPair[n];
        data = new ArrowBuf[n];
        fixed = new boolean[n];
        nulls = new int[n][];
        nullCount = new int[n];
        for (int i = 0; i < n; i++) {
            transfers[i] = vectors[i].makeTransferPair(out.getFieldVectors().get(i));
            fixed[i] = vectors[i] instanceof BaseFixedWidthVector;
            Column c = def.columns().get(i);
            if (c.nullable()) nulls[i] = new int[16];
        }
        allocate();
    }

    private void allocate() {
        for (int i = 0; i < vectors.length; i++) {
            vectors[i].setInitialCapacity(capacity);
            vectors[i].allocateNew(); // zeroed: validity all NULL, booleans all false
            if (fixed[i]) data[i] = vectors[i].getDataBuffer();
        }
    }

    public TableDef def() {
        return def;
    }

    /** The vector of a column, for the few values the typed setters do not cover (lists); rows go at {@link #row()}. */
    public FieldVector vector(int col) {
        return vectors[col];
    }

    public int row() {
        return row;
    }

    public void setLong(int col, long value) {
        data[col].setLong((long) row << 3, value);
    }

    public void setInt(int col, int value) {
        data[col].setInt((long) row << 2, value);
    }

    public void setBool(int col, boolean value) {
        if (value) BitVectorHelper.setBit(data[col], row);
    }

    /**
     * Appends a value to a VARCHAR_DICT column's dictionary and returns its
     * index, which rows then store with {@link #setInt}.
     */
    public int addToDictionary(int col, byte[] value) {
        int index = dictionarySize[col]++;
        dictionaries[col].setSafe(index, value);
        return index;
    }

    public void setBytes(int col, byte[] value) {
        ((BaseVariableWidthVector) vectors[col]).setSafe(row, value);
    }

    public void setNull(int col) {
        int[] list = nulls[col];
        if (list == null) throw new IllegalStateException(def.name() + "." + def.columns().get(col).name() + " is not nullable");
        if (nullCount[col] == list.length) nulls[col] = list = Arrays.copyOf(list, list.length * 2);
        list[nullCount[col]++] = row;
    }

    public void endRow() {
        if (++row == capacity) flush();
    }

    /** Rows written so far. */
    public long rows() {
        return rows + row;
    }

    private void flush() {
        if (row == 0) return;
        for (int i = 0; i < vectors.length; i++) {
            if (fixed[i]) {
                ArrowBuf validity = vectors[i].getValidityBuffer();
                validity.setOne(0, row >>> 3);
                for (int r = row & ~7; r < row; r++) BitVectorHelper.setBit(validity, r);
                for (int k = 0; k < nullCount[i]; k++) BitVectorHelper.unsetBit(validity, nulls[i][k]);
            }
            nullCount[i] = 0;
        }
        fill.setRowCount(row);
        await();
        for (TransferPair t : transfers) t.transfer();
        out.setRowCount(row);
        pending = io.submit(() -> {
            writer.writeBatch();
            return null;
        });
        allocate();
        rows += row;
        row = 0;
    }

    private void await() {
        try {
            pending.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException ioe) throw new UncheckedIOException("cannot write " + tmp + ": " + ioe.getMessage(), ioe);
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + tmp, e);
        }
    }

    /** Writes the last batch and the file footer, and puts the file in place. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try (channel) {
            flush();
            await();
            if (rows == 0) {
                out.setRowCount(0); // one empty batch: readers skip the dictionaries of a file without batches
                writer.writeBatch();
            }
            for (int i = 0; i < dictionaries.length; i++) {
                if (dictionaries[i] != null) dictionaries[i].setValueCount(dictionarySize[i]);
            }
            writer.end();
            writer.close();
            channel.close();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            closeVectors();
        }
    }

    private void closeVectors() {
        fill.close();
        out.close();
        for (VarCharVector d : dictionaries) {
            if (d != null) d.close();
        }
    }

    /** Closes without putting the file in place (an export that failed). */
    public void abandon() {
        if (closed) return;
        closed = true;
        try (channel) {
            try {
                await();
            } catch (RuntimeException ignored) {
                // the export is failing already; its own error is the one to report
            }
            writer.close();
            Files.deleteIfExists(tmp);
        } catch (IOException | RuntimeException ignored) {
            // best effort: a stray .tmp file is replaced by the next export
        } finally {
            closeVectors();
        }
    }
}
