package io.deja.recorder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * What binds a file derived from a recording (an export, a snapshot index) to
 * that recording, without opening its queue (Chronicle's first open in a JVM
 * costs up to seconds): the events file's length and a CRC32C of all of it
 * (the header with its wall-clock start, and every batch). CRC32C runs at
 * several GB/s, so this costs little next to anything derived from the run.
 */
public final class RecordingIdentity {
    private RecordingIdentity() {}

    /** "LENGTH CRC" of the recording in recordingDir. */
    public static String of(Path recordingDir) {
        Path events = recordingDir.resolve(RecordingFormat.CYCLE_FILE);
        try (FileChannel ch = FileChannel.open(events)) {
            CRC32C crc = new CRC32C();
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            for (long pos = 0; pos < size; ) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n <= 0) break;
                buf.flip();
                crc.update(buf);
                pos += n;
            }
            return size + " " + Long.toHexString(crc.getValue());
        } catch (IOException e) {
            throw new RecordingException(events + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
