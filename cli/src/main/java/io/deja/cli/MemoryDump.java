package io.deja.cli;

import io.deja.core.vm.VirtualMachine;

/** --dump-mem ADDR:LEN: a classic hex dump of guest RAM. */
final class MemoryDump {
    private MemoryDump() {}

    record Range(long address, int length, String text) {}

    static Range parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) throw new UserError("--dump-mem " + text + ": expected ADDR:LEN, e.g. 0x11000:64");
        long address = Sizes.parseAddress(text.substring(0, colon), "--dump-mem address");
        long length = Sizes.parseSize(text.substring(colon + 1), "--dump-mem length");
        if (length <= 0 || length > (1 << 24)) throw new UserError("--dump-mem " + text + ": length must be 1 byte to 16M");
        return new Range(address, (int) length, text);
    }

    static void check(VirtualMachine vm, Range r) {
        long off = r.address() - vm.ramBase();
        if (Long.compareUnsigned(off, vm.ramSize()) >= 0 || Long.compareUnsigned(off + r.length(), vm.ramSize()) > 0) {
            throw new UserError(String.format("--dump-mem %s: [0x%x, 0x%x) is not inside RAM [0x%x, 0x%x)", r.text(),
                    r.address(), r.address() + r.length(), vm.ramBase(), vm.ramBase() + vm.ramSize()));
        }
    }

    static String format(VirtualMachine vm, Range r) {
        return format("memory", r.address(), vm.readMemory(r.address(), r.length()));
    }

    /** A hex dump of data, which starts at address, under "title 0xADDR..0xEND:". */
    static String format(String title, long address, byte[] data) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s 0x%x..0x%x:%n", title, address, address + data.length));
        for (int line = 0; line < data.length; line += 16) {
            sb.append(String.format("%016x ", address + line));
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                if (line + i < data.length) {
                    int b = data[line + i] & 0xFF;
                    sb.append(String.format(" %02x", b));
                    ascii.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
                } else {
                    sb.append("   ");
                }
            }
            sb.append("  |").append(ascii).append("|\n");
        }
        return sb.toString();
    }
}
