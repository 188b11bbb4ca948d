package io.deja.replayer;

import io.deja.core.board.Machine;
import io.deja.core.board.StateHashes;
import io.deja.core.mem.Ram;
import io.deja.core.state.StateVisitor;
import io.deja.core.vm.Snapshot;
import io.deja.recorder.Plural;
import io.deja.recorder.RecordingException;
import io.deja.recorder.RecordingIdentity;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A timeline's snapshots stored beside its recording ({@value #FILE}), so that
 * a later session seeks at once instead of replaying the run first.
 *
 * The file is never trusted: it is used only when it is of this
 * {@link #VERSION}, names the recording it was made from by the length and
 * CRC32C of its events file (as an export's export.done does), names the
 * layout of the machine's state description (the names and kinds of value
 * every component visits, hashed: a Deja whose state differs refuses it), ends
 * with a CRC32C of everything before it, and its first snapshot restores to
 * exactly the state of the freshly built machine. Anything else makes the
 * timeline ignore it with a warning and replay from the start.
 *
 * <pre>
 * magic "DEJA-SEEK\n", i32 version, UTF identity of the recording, i64 layout hash,
 * i32 RAM pages, i64 end icount, i64 interval, i32 count,
 * count snapshots (Snapshot.writeTo, oldest first: each is a delta on the one before),
 * i64 CRC32C of all the bytes before it
 * </pre>
 * Big-endian (DataOutput).
 */
public final class SnapshotIndex {
    private SnapshotIndex() {}

    public static final String FILE = "seek.index";
    /** Bump when the layout above changes. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "DEJA-SEEK\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * What loading found: the snapshots and their interval, or null and why not (null warning: there was no
     * index); touched: the machine was restored to a snapshot that failed the check, build a new one.
     */
    record Loaded(List<Snapshot> snapshots, long interval, String warning, boolean touched) {
        Loaded(List<Snapshot> snapshots, long interval, String warning) {
            this(snapshots, interval, warning, false);
        }
    }

    static Path path(Path recordingDir) {
        return recordingDir.resolve(FILE);
    }

    /** Writes the timeline's snapshots to the recording's directory (atomically: a reader never sees half a file). */
    static Path write(Timeline t) {
        Path target = path(t.directory());
        Path tmp = t.directory().resolve(FILE + ".tmp");
        Machine m = t.machine();
        try {
            try (OutputStream file = Files.newOutputStream(tmp)) {
                CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(file, 1 << 16), new CRC32C());
                DataOutputStream out = new DataOutputStream(checked);
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(RecordingIdentity.of(t.directory()));
                out.writeLong(layoutHash(m));
                out.writeInt(ramPages(m));
                out.writeLong(t.end());
                out.writeLong(t.interval());
                List<Snapshot> snapshots = t.snapshots();
                out.writeInt(snapshots.size());
                for (Snapshot s : snapshots) s.writeTo(out);
                out.flush();
                long crc = checked.getChecksum().getValue();
                out.writeLong(crc);
                out.flush();
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write's own error is the one to report
            }
            throw new RecordingException(target + ": cannot write the snapshot index (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads the index beside the recording for machine m (freshly built, at icount 0 with the inputs recorded there delivered),
     * whose recording ends at end. Never throws for a bad file: it says why in the
     * warning. Takes no snapshot of m (its first kept snapshot must be a delta on
     * the all-zero RAM, which the index stores).
     */
    static Loaded load(Path recordingDir, Machine m, long end) {
        Path file = path(recordingDir);
        if (!Files.isRegularFile(file)) return new Loaded(null, 0, null);
        String ignored = file + ": snapshot index ignored, ";
        try (InputStream raw = Files.newInputStream(file)) {
            CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(raw, 1 << 16), new CRC32C());
            DataInputStream in = new DataInputStream(checked);
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) return new Loaded(null, 0, ignored + "it is not a Deja snapshot index");
            int version = in.readInt();
            if (version != VERSION) {
                return new Loaded(null, 0, ignored + "it is of format version " + version + ", this Deja reads version " + VERSION);
            }
            String identity = in.readUTF();
            String now = RecordingIdentity.of(recordingDir);
            if (!identity.equals(now)) {
                return new Loaded(null, 0, ignored + "it was made from another recording (events file length and CRC32C "
                        + identity + ", this recording's " + now + ")");
            }
            if (in.readLong() != layoutHash(m)) return new Loaded(null, 0, ignored + "it was made by a Deja whose machine state differs");
            int pages = in.readInt();
            if (pages != ramPages(m)) return new Loaded(null, 0, ignored + "it is for a RAM of " + Plural.count(pages, "page") + ", not " + ramPages(m));
            long indexEnd = in.readLong();
            long interval = in.readLong();
            int count = in.readInt();
            if (indexEnd != end || interval <= 0 || count <= 0) return new Loaded(null, 0, ignored + "its header is inconsistent");
            List<Snapshot> snapshots = new ArrayList<>(Math.min(count, 1 << 16));
            Snapshot parent = null;
            for (int i = 0; i < count; i++) {
                Snapshot s = Snapshot.readFrom(in, parent, pages);
                if (s.instructions() > end || (i == 0) != (s.instructions() == 0)) {
                    return new Loaded(null, 0, ignored + "snapshot " + i + " does not fit this machine");
                }
                snapshots.add(s);
                parent = s;
            }
            long crc = checked.getChecksum().getValue();
            if (in.readLong() != crc || in.read() != -1) return new Loaded(null, 0, ignored + "it is corrupted (CRC32C mismatch)");
            StateHashes fresh = m.stateHashes();
            m.restore(snapshots.get(0));
            if (!m.stateHashes().equals(fresh)) {
                return new Loaded(null, 0, ignored + "its first snapshot is not this recording's state at icount 0", true);
            }
            return new Loaded(snapshots, interval, null);
        } catch (EOFException e) {
            return new Loaded(null, 0, ignored + "it is cut short");
        } catch (IOException | RuntimeException e) {
            // A restore that failed half way (a state of another shape) leaves the machine unusable too.
            return new Loaded(null, 0, ignored + "it cannot be read (" + e.getMessage() + ")", true);
        }
    }

    private static int ramPages(Machine m) {
        return (int) (m.vm().ramSize() >>> Ram.PAGE_SHIFT);
    }

    /**
     * A hash of the names and kinds of the values the machine's state description
     * visits, in order (not array lengths: a FIFO's varies with the state).
     */
    static long layoutHash(Machine m) {
        LayoutHash h = new LayoutHash();
        m.state(h);
        return h.hash;
    }

    private static final class LayoutHash implements StateVisitor {
        long hash = 0x5EEDL;

        private void add(String kind, String name) {
            hash = Ram.mix(hash * 31 + kind.hashCode());
            hash = Ram.mix(hash * 31 + name.hashCode());
        }

        @Override public long u64(String name, long value) { add("u64", name); return value; }
        @Override public int u32(String name, int value) { add("u32", name); return value; }
        @Override public boolean bool(String name, boolean value) { add("bool", name); return value; }
        @Override public void u64s(String name, long[] values) { add("u64s", name); }
        @Override public void u32s(String name, int[] values) { add("u32s", name); }
        @Override public void bools(String name, boolean[] values) { add("bools", name); }
        @Override public void bytes(String name, byte[] values) { add("bytes", name); }

        @Override
        public void child(String name, io.deja.core.state.Stateful component) {
            add("child", name);
            component.state(this);
        }
    }
}
