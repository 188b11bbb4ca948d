package io.deja.recorder;

import io.deja.core.board.Board;
import io.deja.core.board.GicVersion;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The header document: {@code 'H'}, the magic, the format version, then the
 * body in this order (Java DataOutput encoding, strings as writeUTF):
 * deja version, board name, RAM size, entry, command line, KASLR seed,
 * rng seed (length + bytes), images (count, then path, relative path, SHA-256,
 * size each), chaos (present flag, seed), checkpoint interval, trace level
 * name, trace window from/to, devices (count, names), max instructions,
 * start time, GIC version (byte), RTC start (long, seconds since 1970),
 * image roles (count, then one byte each: {@link RecordedImage.Role} ordinal),
 * CPUs (int) and quantum (long).
 * The last five were added without a version change: a header that ends
 * before them is read as GICv2 with the default RTC start, one image loaded
 * as a --binary and one CPU, which is what every machine recorded before them was.
 */
final class HeaderCodec {
    private HeaderCodec() {}

    static byte[] encode(RecordingHeader h) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(RecordingFormat.DOC_HEADER);
            out.write(RecordingFormat.MAGIC);
            out.writeInt(h.formatVersion());
            out.writeUTF(h.dejaVersion());
            out.writeUTF(h.board().cliName());
            out.writeLong(h.ramSize());
            out.writeLong(h.entry());
            out.writeUTF(h.commandLine());
            out.writeLong(h.kaslrSeed());
            byte[] rng = h.rngSeed();
            out.writeInt(rng.length);
            out.write(rng);
            out.writeInt(h.images().size());
            for (RecordedImage image : h.images()) {
                out.writeUTF(image.path());
                out.writeUTF(image.relativePath());
                out.writeUTF(image.sha256());
                out.writeLong(image.size());
            }
            out.writeBoolean(h.chaosSeed().isPresent());
            out.writeLong(h.chaosSeed().orElse(0));
            out.writeLong(h.checkpointInterval());
            out.writeUTF(h.traceLevel().name());
            out.writeLong(h.traceFrom());
            out.writeLong(h.traceTo());
            out.writeInt(h.devices().size());
            for (String d : h.devices()) out.writeUTF(d);
            out.writeLong(h.maxInstructions());
            out.writeLong(h.startTimeMillis());
            out.writeByte(h.gic().number());
            out.writeLong(h.rtcStart());
            out.writeInt(h.images().size());
            for (RecordedImage image : h.images()) out.writeByte(image.role().ordinal());
            out.writeInt(h.cpus());
            out.writeLong(h.quantum());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Whether doc starts like a header document (kind byte and magic). */
    static boolean looksLikeHeader(byte[] doc) {
        if (doc.length < 1 + RecordingFormat.MAGIC.length + 4 || doc[0] != RecordingFormat.DOC_HEADER) return false;
        return Arrays.equals(doc, 1, 1 + RecordingFormat.MAGIC.length, RecordingFormat.MAGIC, 0, RecordingFormat.MAGIC.length);
    }

    /** The format version of a header document (looksLikeHeader must hold). */
    static int version(byte[] doc) {
        int p = 1 + RecordingFormat.MAGIC.length;
        return (doc[p] & 0xFF) << 24 | (doc[p + 1] & 0xFF) << 16 | (doc[p + 2] & 0xFF) << 8 | (doc[p + 3] & 0xFF);
    }

    /**
     * Decodes a header document of the current version.
     * @param where names the file in error messages
     */
    static RecordingHeader decode(byte[] doc, String where) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(doc))) {
            in.skipNBytes(1 + RecordingFormat.MAGIC.length);
            int version = in.readInt();
            String deja = in.readUTF();
            Board board = Board.fromName(in.readUTF());
            long ram = in.readLong();
            long entry = in.readLong();
            String cmdline = in.readUTF();
            long kaslr = in.readLong();
            byte[] rng = in.readNBytes(count(in.readInt(), 1 << 20, "rng seed", where));
            int n = count(in.readInt(), 1 << 10, "image", where);
            List<RecordedImage> images = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                images.add(new RecordedImage(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong()));
            }
            boolean chaos = in.readBoolean();
            long seed = in.readLong();
            long interval = in.readLong();
            TraceLevel level = TraceLevel.valueOf(in.readUTF().toUpperCase(Locale.ROOT));
            long from = in.readLong();
            long to = in.readLong();
            int d = count(in.readInt(), 1 << 12, "device", where);
            List<String> devices = new ArrayList<>(d);
            for (int i = 0; i < d; i++) devices.add(in.readUTF());
            long max = in.readLong();
            long start = in.readLong();
            // Headers written before these two fields end here: GICv2 and the default RTC start, as then.
            GicVersion gic = in.available() > 0 ? GicVersion.of(in.readUnsignedByte()) : GicVersion.V2;
            long rtcStart = in.available() > 0 ? in.readLong() : MachineConfig.DEFAULT_RTC_START;
            if (in.available() > 0) {
                if (in.readInt() != n) throw new RecordingException(where + ": the recording header is corrupted (image roles do not match the images)");
                for (int i = 0; i < n; i++) {
                    RecordedImage im = images.get(i);
                    images.set(i, new RecordedImage(im.path(), im.relativePath(), im.sha256(), im.size(), RecordedImage.Role.of(in.readUnsignedByte())));
                }
            }
            int cpus = in.available() > 0 ? in.readInt() : 1;
            long quantum = in.available() > 0 ? in.readLong() : MachineConfig.DEFAULT_QUANTUM;
            return new RecordingHeader(version, deja, board, ram, entry, cmdline, kaslr, rng, images,
                    chaos ? OptionalLong.of(seed) : OptionalLong.empty(), interval, level, from, to, devices, max, start,
                    gic, rtcStart, cpus, quantum);
        } catch (IOException | IllegalArgumentException e) {
            throw new RecordingException(where + ": the recording header is corrupted (" + why(e) + ")");
        }
    }

    /** What is wrong with the header in a reader's terms (EOFException and friends have no message: it read "(null)"). */
    static String why(Exception e) {
        if (e instanceof java.io.EOFException) return "it ends before its last field";
        if (e instanceof java.io.UTFDataFormatException) return "a text field is not valid UTF-8";
        String m = e.getMessage();
        if (m == null || m.isBlank()) return "a field holds a value this version cannot read";
        // Enum.valueOf's "No enum constant io.deja.core.trace.TraceLevel.X" names a class, not the field.
        if (m.startsWith("No enum constant ")) {
            String constant = m.substring("No enum constant ".length());
            int dot = constant.lastIndexOf('.');
            int type = constant.lastIndexOf('.', dot - 1);
            return "unknown " + constant.substring(type + 1, dot) + " '" + constant.substring(dot + 1) + "'";
        }
        return m;
    }

    private static int count(int n, int max, String what, String where) {
        if (n < 0 || n > max) throw new RecordingException(where + ": the recording header is corrupted (" + Plural.count(n, what + " entry", what + " entries") + ")");
        return n;
    }
}
