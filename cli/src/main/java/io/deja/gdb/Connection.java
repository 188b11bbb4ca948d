package io.deja.gdb;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One client's byte stream, framed into packets by a reader thread so that
 * Ctrl-C (a lone 0x03) reaches a running target at once while the session
 * thread runs it. Acknowledgements are sent here (until no-ack mode); a bad
 * checksum is answered with '-' and the packet dropped; an oversized packet
 * is read to its end, never stored, and reported as {@link #OVERSIZED}.
 */
final class Connection implements Closeable {
    /** Queue markers besides packet payloads (Strings). */
    static final Object CLOSED = new Object(), NACK = new Object(), OVERSIZED = new Object(), MALFORMED = new Object();

    private final InputStream in;
    private final OutputStream out;
    private final Closeable resource;
    private final Runnable onInterrupt, onClose;
    private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    private volatile boolean noAck;
    private byte[] lastSent;
    private final Thread reader;

    /**
     * @param onInterrupt called on the reader thread when the client sends Ctrl-C
     * @param onClose     called on the reader thread when the client has gone
     */
    Connection(InputStream in, OutputStream out, Closeable resource, Runnable onInterrupt, Runnable onClose, String name) {
        this.in = new BufferedInputStream(in);
        this.out = out;
        this.resource = resource;
        this.onInterrupt = onInterrupt;
        this.onClose = onClose;
        reader = new Thread(this::readLoop, name);
        reader.setDaemon(true);
        reader.start();
    }

    /** The next packet payload, or one of the markers; CLOSED once the client has gone. */
    Object take() throws InterruptedException {
        return inbound.take();
    }

    void setNoAck() {
        noAck = true;
    }

    synchronized void send(String payload) throws IOException {
        lastSent = Rsp.frame(payload);
        out.write(lastSent);
        out.flush();
    }

    /** The client said '-': send the last packet again. */
    synchronized void resend() throws IOException {
        if (lastSent == null) return;
        out.write(lastSent);
        out.flush();
    }

    private synchronized void ack(char c) throws IOException {
        out.write(c);
        out.flush();
    }

    private void readLoop() {
        byte[] body = new byte[Rsp.MAX_PACKET + 16];
        try {
            for (;;) {
                int b = in.read();
                if (b < 0) break;
                switch (b) {
                    case 0x03 -> onInterrupt.run();
                    case '-' -> inbound.add(NACK);
                    case '$' -> {
                        int length = 0;
                        boolean oversized = false;
                        int sum = 0;
                        for (;;) {
                            b = in.read();
                            if (b < 0) throw new IOException("connection closed inside a packet");
                            if (b == '#') break;
                            sum += b;
                            if (length < body.length) body[length++] = (byte) b;
                            else oversized = true;
                        }
                        int hi = in.read(), lo = in.read();
                        if (lo < 0) throw new IOException("connection closed inside a packet");
                        int given = hexValue(hi) << 4 | hexValue(lo);
                        if (given != (sum & 0xFF)) {
                            // hexValue gives -1 for a non-digit, which never equals a checksum.
                            if (!noAck) ack('-');
                            continue;
                        }
                        if (!noAck) ack('+');
                        if (oversized) {
                            inbound.add(OVERSIZED);
                            continue;
                        }
                        String payload = Rsp.unescape(body, length);
                        inbound.add(payload == null ? MALFORMED : payload);
                    }
                    default -> { } // '+' acknowledgements and noise between packets
                }
            }
        } catch (IOException e) {
            // The client went away (or the session closed the socket): end of the stream.
        } finally {
            onClose.run();
            inbound.add(CLOSED);
        }
    }

    private static int hexValue(int c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -0x1000;
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }
}
