package io.deja.gdb;

import io.deja.gdb.GdbTarget.PointKind;
import io.deja.gdb.GdbTarget.Resume;
import io.deja.gdb.GdbTarget.Stop;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One gdb client, packet by packet: the requests gdb makes of QEMU's stub
 * (qSupported, the target description, registers, memory, breakpoints and
 * watchpoints, continue/step/range step, reverse continue/step when the
 * target has a history, monitor commands, detach and kill). A request that
 * does not parse gets an error reply; one we do not know, the empty reply.
 */
final class GdbSession {
    /** How a session ended. */
    enum End { DETACHED, KILLED, EXITED, DISCONNECTED }

    private final GdbTarget target;
    private final Connection conn;
    private final PrintWriter log;
    /** The client understands swbreak:/hwbreak: stop reasons (it said so in qSupported). */
    private boolean swbreak, hwbreak;
    private Stop lastStop = Stop.of(Stop.Kind.TRAPPED);
    /** Set while the target runs. */
    private volatile boolean running;
    /** Set when the client has gone (read by resume: a client that leaves just before a run starts must stop it too). */
    private volatile boolean gone;

    GdbSession(GdbTarget target, Connection conn, PrintWriter log) {
        this.target = target;
        this.conn = conn;
        this.log = log;
    }

    /**
     * Called on the connection's reader thread for Ctrl-C. gdb sends it only
     * while it waits for a stop, so one that arrives just before the run
     * starts is kept by the target and stops that run.
     */
    void interrupt() {
        target.interrupt();
    }

    /** Called on the reader thread when the client has gone: a running target stops, and waits for the next client. */
    void clientGone() {
        gone = true;
        if (running) target.interrupt();
    }

    End serve() throws IOException, InterruptedException {
        for (;;) {
            Object next = conn.take();
            if (next == Connection.CLOSED) return End.DISCONNECTED;
            if (next == Connection.NACK) {
                conn.resend();
                continue;
            }
            if (next == Connection.OVERSIZED) {
                conn.send("E01"); // longer than the PacketSize we advertised
                continue;
            }
            if (next == Connection.MALFORMED) {
                conn.send("E02");
                continue;
            }
            String packet = (String) next;
            String reply;
            try {
                reply = handle(packet);
            } catch (Rsp.BadPacket e) {
                reply = "E03";
            } catch (UnsupportedOperationException e) {
                // gdb shows the text of an "E." reply ("Remote failure reply: E.why"): say why, not just a number.
                reply = e.getMessage() == null ? "E04" : "E." + e.getMessage().replaceAll("[^ -~]|[$#}*]", "_");
                log.printf("gdb: refused: %s%n", e.getMessage());
                log.flush();
            } catch (RuntimeException e) {
                // A bug on our side must not take the server down with the client's session.
                log.printf("gdb: internal error on '%s': %s%n", shorten(packet), e);
                log.flush();
                reply = "E05";
            }
            if (reply == KILL) return End.KILLED;
            conn.send(reply);
            if (packet.equals("D") || packet.startsWith("D;")) return End.DETACHED;
            if (lastStop.kind() == Stop.Kind.EXITED && reply.startsWith("W")) return End.EXITED;
        }
    }

    /** Marker reply: the client killed the target (no reply is sent to k). */
    private static final String KILL = new String("kill");

    private String handle(String p) {
        if (p.isEmpty()) return "";
        char c = p.charAt(0);
        return switch (c) {
            case '?' -> stopReply(lastStop);
            case 'g' -> readAllRegisters();
            case 'G' -> writeAllRegisters(p.substring(1));
            case 'p' -> readRegister(p.substring(1));
            case 'P' -> writeRegister(p.substring(1));
            case 'm' -> readMemory(p.substring(1));
            case 'M' -> writeMemoryHex(p.substring(1));
            case 'X' -> writeMemoryBinary(p.substring(1));
            case 'Z', 'z' -> point(p, c == 'Z');
            case 'c' -> resume(Resume.CONTINUE, p.substring(1), 0, 0);
            case 's' -> resume(Resume.STEP, p.substring(1), 0, 0);
            case 'C', 'S' -> resume(c == 'C' ? Resume.CONTINUE : Resume.STEP, afterSignal(p.substring(1)), 0, 0);
            case 'b' -> reverse(p);
            case 'v' -> vPacket(p);
            case 'q' -> query(p);
            case 'Q' -> set(p);
            case 'H' -> "OK"; // one thread per vCPU and one vCPU: every thread is thread 1
            case 'T' -> threadAlive(p.substring(1));
            case 'D' -> {
                target.detach();
                yield "OK";
            }
            case 'k' -> {
                target.detach();
                yield KILL;
            }
            default -> "";
        };
    }

    // ---- Queries ------------------------------------------------------------------------------
    private String query(String p) {
        if (p.startsWith("qSupported")) {
            swbreak = p.contains("swbreak+");
            hwbreak = p.contains("hwbreak+");
            String s = "PacketSize=" + Integer.toHexString(Rsp.MAX_PACKET)
                    + ";qXfer:features:read+;QStartNoAckMode+;vContSupported+;swbreak+;hwbreak+";
            if (target.canReverse()) s += ";ReverseStep+;ReverseContinue+";
            return s;
        }
        if (p.startsWith("qXfer:features:read:")) return features(p.substring("qXfer:features:read:".length()));
        if (p.equals("qAttached") || p.startsWith("qAttached:")) return "1";
        if (p.equals("qC")) return "QC1";
        if (p.equals("qfThreadInfo")) {
            StringBuilder s = new StringBuilder("m");
            for (int i = 1; i <= target.cpus(); i++) s.append(i == 1 ? "" : ",").append(Integer.toHexString(i));
            return s.toString();
        }
        if (p.equals("qsThreadInfo")) return "l";
        if (p.startsWith("qThreadExtraInfo,")) return Rsp.hex("vCPU " + Rsp.number(p.substring(17)));
        if (p.startsWith("qRcmd,")) return Rsp.hex(target.monitor(new String(Rsp.unhex(p.substring(6)), StandardCharsets.UTF_8)));
        if (p.equals("qSymbol::")) return "OK";
        return "";
    }

    private String features(String args) {
        int colon = args.lastIndexOf(':');
        if (colon < 0) throw new Rsp.BadPacket("qXfer without offset");
        String annex = args.substring(0, colon);
        String[] range = args.substring(colon + 1).split(",");
        if (range.length != 2) throw new Rsp.BadPacket("qXfer offset,length");
        long offset = Rsp.number(range[0]), length = Rsp.number(range[1]);
        String xml = Aarch64Registers.annex(annex);
        if (xml == null) return "E00";
        if (offset >= xml.length()) return "l";
        int from = (int) offset;
        int to = (int) Math.min(xml.length(), from + Math.min(length, Rsp.MAX_PACKET / 2));
        return (to == xml.length() ? "l" : "m") + xml.substring(from, to);
    }

    private String set(String p) {
        if (p.equals("QStartNoAckMode")) {
            conn.setNoAck();
            return "OK";
        }
        return "";
    }

    private String threadAlive(String id) {
        long t = Rsp.number(id.startsWith("-") ? "1" : id);
        return t >= 1 && t <= target.cpus() ? "OK" : "E01";
    }

    // ---- Registers ----------------------------------------------------------------------------
    private String readAllRegisters() {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < Aarch64Registers.COUNT; r++) {
            byte[] v = target.readRegister(r);
            s.append(Rsp.hex(v, v.length));
        }
        return s.toString();
    }

    private String writeAllRegisters(String hex) {
        byte[] all = Rsp.unhex(hex);
        int at = 0;
        for (int r = 0; r < Aarch64Registers.COUNT && at < all.length; r++) {
            int size = Aarch64Registers.size(r);
            if (at + size > all.length) break;
            byte[] v = new byte[size];
            System.arraycopy(all, at, v, 0, size);
            if (!target.writeRegister(r, v)) return "E01";
            at += size;
        }
        return "OK";
    }

    private String readRegister(String n) {
        byte[] v = target.readRegister((int) Math.min(Rsp.number(n), Integer.MAX_VALUE));
        return v == null ? "E01" : Rsp.hex(v, v.length);
    }

    private String writeRegister(String args) {
        int eq = args.indexOf('=');
        if (eq < 0) throw new Rsp.BadPacket("P without =");
        int r = (int) Math.min(Rsp.number(args.substring(0, eq)), Integer.MAX_VALUE);
        return target.writeRegister(r, Rsp.unhex(args.substring(eq + 1))) ? "OK" : "E01";
    }

    // ---- Memory -------------------------------------------------------------------------------
    private String readMemory(String args) {
        long[] al = addressLength(args);
        // Longer than a reply can carry: answer the first part; gdb asks again for the rest.
        int length = (int) Math.min(al[1], (Rsp.MAX_PACKET - 4) / 2);
        if (length == 0) return "";
        byte[] data = new byte[length];
        int n = target.readMemory(al[0], data);
        return n == 0 ? "E14" : Rsp.hex(data, n);
    }

    private String writeMemoryHex(String args) {
        int colon = args.indexOf(':');
        if (colon < 0) throw new Rsp.BadPacket("M without :");
        long[] al = addressLength(args.substring(0, colon));
        byte[] data = Rsp.unhex(args.substring(colon + 1));
        if (data.length != al[1]) throw new Rsp.BadPacket("M length does not match its data");
        return data.length == 0 || target.writeMemory(al[0], data) ? "OK" : "E14";
    }

    private String writeMemoryBinary(String args) {
        int colon = args.indexOf(':');
        if (colon < 0) throw new Rsp.BadPacket("X without :");
        long[] al = addressLength(args.substring(0, colon));
        byte[] data = args.substring(colon + 1).getBytes(StandardCharsets.ISO_8859_1);
        if (data.length != al[1]) throw new Rsp.BadPacket("X length does not match its data");
        return data.length == 0 || target.writeMemory(al[0], data) ? "OK" : "E14";
    }

    private static long[] addressLength(String args) {
        int comma = args.indexOf(',');
        if (comma < 0) throw new Rsp.BadPacket("address,length expected");
        long length = Rsp.number(args.substring(comma + 1));
        if (length > Integer.MAX_VALUE) throw new Rsp.BadPacket("length too large");
        return new long[] {Rsp.number(args.substring(0, comma)), length};
    }

    // ---- Breakpoints and watchpoints -------------------------------------------------------------
    private String point(String p, boolean insert) {
        String[] f = p.substring(1).split(";")[0].split(",");
        if (f.length != 3) throw new Rsp.BadPacket("Z/z type,address,kind");
        int type = (int) Math.min(Rsp.number(f[0]), 99);
        if (type > 4) return "";
        PointKind kind = PointKind.values()[type];
        long address = Rsp.number(f[1]), length = Rsp.number(f[2]);
        return target.setPoint(kind, address, length, insert) ? "OK" : "E01";
    }

    // ---- Running ------------------------------------------------------------------------------
    private static String afterSignal(String args) {
        int semi = args.indexOf(';');
        return semi < 0 ? "" : args.substring(semi + 1);
    }

    private String resume(Resume how, String address, long rangeStart, long rangeEnd) {
        if (!address.isEmpty()) {
            // c ADDR / s ADDR: resume at ADDR.
            if (!target.writeRegister(Aarch64Registers.PC, Rsp.le(Rsp.number(address), 8))) return "E01";
        }
        running = true;
        // Both flags are volatile: either clientGone saw running, or this sees gone (a disconnect is never lost).
        if (gone) target.interrupt();
        try {
            lastStop = target.resume(how, rangeStart, rangeEnd);
        } finally {
            running = false;
        }
        return stopReply(lastStop);
    }

    private String reverse(String p) {
        if (!target.canReverse()) return "";
        return switch (p) {
            case "bc" -> resume(Resume.REVERSE_CONTINUE, "", 0, 0);
            case "bs" -> resume(Resume.REVERSE_STEP, "", 0, 0);
            default -> "";
        };
    }

    private String vPacket(String p) {
        if (p.equals("vCont?")) return "vCont;c;C;s;S;r";
        if (p.startsWith("vCont;")) return vCont(p.substring(6));
        if (p.equals("vMustReplyEmpty")) return "";
        if (p.startsWith("vKill")) {
            target.detach();
            return KILL;
        }
        return "";
    }

    /** The first action that applies to thread 1 (or to every thread) decides. */
    private String vCont(String actions) {
        for (String action : actions.split(";")) {
            int colon = action.indexOf(':');
            if (colon >= 0) {
                String thread = action.substring(colon + 1);
                if (!thread.equals("-1") && !thread.equals("p1.-1") && Rsp.number(thread.replaceFirst("^p1\\.", "")) != 1) continue;
                action = action.substring(0, colon);
            }
            if (action.isEmpty()) throw new Rsp.BadPacket("empty vCont action");
            switch (action.charAt(0)) {
                case 'c', 'C' -> {
                    return resume(Resume.CONTINUE, "", 0, 0);
                }
                case 's', 'S' -> {
                    return resume(Resume.STEP, "", 0, 0);
                }
                case 'r' -> {
                    String[] range = action.substring(1).split(",");
                    if (range.length != 2) throw new Rsp.BadPacket("vCont;r start,end");
                    return resume(Resume.RANGE_STEP, "", Rsp.number(range[0]), Rsp.number(range[1]));
                }
                case 't' -> {
                    return "OK"; // stop: it is already stopped (all-stop)
                }
                default -> throw new Rsp.BadPacket("vCont action " + action);
            }
        }
        return "E01";
    }

    // ---- Stop replies -------------------------------------------------------------------------------
    private String stopReply(Stop stop) {
        String thread = "thread:01;";
        return switch (stop.kind()) {
            case BREAKPOINT -> "T05" + thread + (swbreak ? "swbreak:;" : "");
            case HW_BREAKPOINT -> "T05" + thread + (hwbreak ? "hwbreak:;" : "");
            case WATCH_WRITE -> "T05" + thread + "watch:" + Long.toHexString(stop.address()) + ";";
            case WATCH_READ -> "T05" + thread + "rwatch:" + Long.toHexString(stop.address()) + ";";
            case WATCH_ACCESS -> "T05" + thread + "awatch:" + Long.toHexString(stop.address()) + ";";
            case TRAPPED -> "T05" + thread;
            case INTERRUPTED -> "T02" + thread;
            case HISTORY_BEGIN -> "T05" + thread + "replaylog:begin;";
            case HISTORY_END -> "T05" + thread + "replaylog:end;";
            case EXITED -> String.format(Locale.ROOT, "W%02x", stop.code() & 0xFF);
        };
    }

    private static String shorten(String packet) {
        return packet.length() <= 40 ? packet : packet.substring(0, 40) + "...";
    }
}
