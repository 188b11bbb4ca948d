package io.deja.analysis.export;

import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Set;

/**
 * An Arrow IPC file writer whose dictionaries are written once, complete,
 * after the record batches (just before the footer). Arrow Java writes them
 * before the first batch, when a disassembly dictionary is not known yet; the
 * file format allows them anywhere ("as long as the keys are defined somewhere
 * in the file"), and readers load every dictionary from the footer before the
 * first batch. (Delta dictionaries would also be legal, but Arrow Java 19's
 * file reader does not apply them.)
 */
final class DictionaryAtEndWriter extends ArrowFileWriter {
    private final DictionaryProvider dictionaries;
    private boolean dictionariesWritten;

    DictionaryAtEndWriter(VectorSchemaRoot root, DictionaryProvider dictionaries, WritableByteChannel out) {
        super(root, dictionaries, out);
        this.dictionaries = dictionaries;
    }

    @Override
    protected void ensureDictionariesWritten(DictionaryProvider provider, Set<Long> ids) {
        // written by end()
    }

    /** Writes the dictionaries (once: close() calls end() again) and the footer. */
    @Override
    public void end() throws IOException {
        if (dictionariesWritten) return;
        dictionariesWritten = true;
        for (long id : dictionaries.getDictionaryIds()) {
            Dictionary d = dictionaries.lookup(id);
            FieldVector values = d.getVector();
            VectorSchemaRoot root = new VectorSchemaRoot(List.of(values.getField()), List.of(values), values.getValueCount());
            try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch();
                 ArrowDictionaryBatch dictionary = new ArrowDictionaryBatch(id, batch, false)) {
                writeDictionaryBatch(dictionary);
            }
        }
        super.end();
    }
}
