package io.deja.gdb;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Framing as the GDB manual's "Overview" of the remote protocol defines it: checksums, escapes, hex. */
class RspTest {
    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void frameCarriesTheModulo256SumOfThePayload() {
        assertThat(s(Rsp.frame("OK"))).isEqualTo("$OK#9a");
        assertThat(s(Rsp.frame(""))).isEqualTo("$#00");
        assertThat(s(Rsp.frame("T05thread:01;"))).isEqualTo("$T05thread:01;#07");
    }

    @Test
    void reservedCharactersAreEscapedAndTheChecksumCoversTheEscapes() {
        // '}' 0x7d -> "}]", '#' 0x23 -> "}\x03", '$' -> "}\x04", '*' -> "}\x0a"
        byte[] f = Rsp.frame("a}#$*");
        assertThat(s(f)).startsWith("$a}]}\u0003}\u0004}\n#");
        int sum = Rsp.checksum(f, 1, f.length - 3);
        assertThat(s(f)).endsWith(String.format("%02x", sum));
    }

    @Test
    void unescapeUndoesEscapesAndRejectsOneCutOff() {
        byte[] body = "X}]}\u0003z".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Rsp.unescape(body, body.length)).isEqualTo("X}#z");
        byte[] cut = "ab}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Rsp.unescape(cut, cut.length)).isNull();
    }

    @Test
    void hexRoundTripsAndRejectsNonHex() {
        byte[] data = {0, 1, (byte) 0xab, (byte) 0xff};
        assertThat(Rsp.hex(data, 4)).isEqualTo("0001abff");
        assertThat(Rsp.unhex("0001ABff")).containsExactly(data);
        assertThatThrownBy(() -> Rsp.unhex("0g")).isInstanceOf(Rsp.BadPacket.class);
        assertThatThrownBy(() -> Rsp.unhex("abc")).isInstanceOf(Rsp.BadPacket.class);
        assertThat(Rsp.number("ffffffffffffffff")).isEqualTo(-1L);
        assertThatThrownBy(() -> Rsp.number("10000000000000000")).isInstanceOf(Rsp.BadPacket.class);
        assertThatThrownBy(() -> Rsp.number("")).isInstanceOf(Rsp.BadPacket.class);
    }

    @Test
    void registersTravelLittleEndian() {
        assertThat(Rsp.hex(Rsp.le(0x1122334455667788L, 8), 8)).isEqualTo("8877665544332211");
        assertThat(Rsp.hex(Rsp.le(0x600003c5L, 4), 4)).isEqualTo("c5030060");
        assertThat(Rsp.le(Rsp.unhex("8877665544332211"), 0, 8)).isEqualTo(0x1122334455667788L);
    }
}
