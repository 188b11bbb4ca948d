package io.deja.gdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The GDB Remote Serial Protocol's framing, apart from any connection:
 * {@code $payload#cc} with a modulo-256 checksum, binary data escaped as
 * {@code '}'} followed by the byte XOR 0x20, and hexadecimal encodings.
 * Payloads are kept as ISO-8859-1 strings, one char per byte.
 */
public final class Rsp {
    private Rsp() {}

    /** The largest packet payload we accept or send (advertised as PacketSize). */
    public static final int MAX_PACKET = 0x4000;

    public static int checksum(byte[] data, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) sum += data[i] & 0xFF;
        return sum & 0xFF;
    }

    /** A whole frame for payload, escaped where the protocol requires it ($, #, } and the run-length marker *). */
    public static byte[] frame(String payload) {
        byte[] raw = payload.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 8);
        out.write('$');
        for (byte b : raw) {
            if (b == '$' || b == '#' || b == '}' || b == '*') {
                out.write('}');
                out.write(b ^ 0x20);
            } else {
                out.write(b);
            }
        }
        byte[] body = out.toByteArray();
        int sum = checksum(body, 1, body.length);
        out.write('#');
        out.write(HEX[sum >> 4]);
        out.write(HEX[sum & 0xF]);
        return out.toByteArray();
    }

    /** The payload of a received frame body (between $ and #) with escapes removed; null if an escape is cut off. */
    public static String unescape(byte[] body, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int b = body[i] & 0xFF;
            if (b == '}') {
                if (++i == length) return null;
                b = (body[i] & 0xFF) ^ 0x20;
            }
            s.append((char) b);
        }
        return s.toString();
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    public static String hex(byte[] data, int length) {
        StringBuilder s = new StringBuilder(2 * length);
        for (int i = 0; i < length; i++) {
            s.append((char) HEX[(data[i] >> 4) & 0xF]).append((char) HEX[data[i] & 0xF]);
        }
        return s.toString();
    }

    public static String hex(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return hex(b, b.length);
    }

    /** Decodes pairs of hex digits; throws {@link BadPacket} on anything else. */
    public static byte[] unhex(String s) {
        if ((s.length() & 1) != 0) throw new BadPacket("odd number of hex digits");
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) (digit(s.charAt(2 * i)) << 4 | digit(s.charAt(2 * i + 1)));
        return out;
    }

    /** An unsigned hexadecimal number of at most 16 digits. */
    public static long number(String s) {
        if (s.isEmpty() || s.length() > 16) throw new BadPacket("not a 64-bit hex number: '" + s + "'");
        long v = 0;
        for (int i = 0; i < s.length(); i++) v = v << 4 | digit(s.charAt(i));
        return v;
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        throw new BadPacket("not a hex digit: '" + c + "'");
    }

    /** Little-endian bytes of the low size bytes of value, as registers travel. */
    public static byte[] le(long value, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size && i < 8; i++) b[i] = (byte) (value >>> (8 * i));
        return b;
    }

    public static long le(byte[] b, int from, int size) {
        long v = 0;
        for (int i = Math.min(size, 8) - 1; i >= 0; i--) v = v << 8 | (b[from + i] & 0xFF);
        return v;
    }

    /** A request that does not parse: answered with an error reply, never a stack trace. */
    public static final class BadPacket extends RuntimeException {
        public BadPacket(String message) {
            super(message, null, false, false);
        }
    }
}
