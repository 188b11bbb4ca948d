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
 *
 * Threads: thread n + 1 is CPU n (gdb's ids start at 1), a powered-off CPU
 * included (it is alive, as a thread; "info threads" says it is off). Hg
 * selects whose registers and memory view g/p/P/G/m/M/X and watchpoints use;
 * a step steps the thread vCont names (or Hc's, or Hg's); stops name the CPU
 * that caused them. The CPUs always run on the machine's schedule: a thread
 * cannot run while the others are held (gdb's scheduler-locking on), and a
 * continue of some threads only is refused saying so; a step of one thread
 * with the others held (which gdb also sends to step over a breakpoint) runs
 * the schedule until that thread has retired one instruction.
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
    /** The CPU Hg selected (registers, memory), and the one Hc selected (-1: any; the resume packets without a thread). */
    private int registerCpu, continueCpu = -1;
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
            if (output != null) {
                // Console output for gdb to print before the stop it explains (allowed while the target runs).
                conn.send("O" + Rsp.hex(output));
                output = null;
            }
            conn.send(reply);
            if (packet.equals("D") || packet.startsWith("D;")) return End.DETACHED;
            if (lastStop.kind() == Stop.Kind.EXITED && reply.startsWith("W")) return End.EXITED;
            if (lastStop.kind() == Stop.Kind.TERMINATED && reply.startsWith("X")) return End.EXITED;
        }
    }

    /** Text to send in an O packet before the next reply (a stop's note), or null. */
    private String output;

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
            case 'c' -> resume(Resume.CONTINUE, resumeCpu(), p.substring(1), 0, 0);
            case 's' -> resume(Resume.STEP, resumeCpu(), p.substring(1), 0, 0);
            case 'C', 'S' -> resume(c == 'C' ? Resume.CONTINUE : Resume.STEP, resumeCpu(), afterSignal(p.substring(1)), 0, 0);
            case 'b' -> reverse(p);
            case 'v' -> vPacket(p);
            case 'q' -> query(p);
            case 'Q' -> set(p);
            case 'H' -> selectThread(p);
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
                    + ";qXfer:features:read+;qXfer:threads:read+;QStartNoAckMode+;vContSupported+;swbreak+;hwbreak+";
            if (target.canReverse()) s += ";ReverseStep+;ReverseContinue+";
            return s;
        }
        if (p.startsWith("qXfer:features:read:")) return features(p.substring("qXfer:features:read:".length()));
        if (p.equals("qAttached") || p.startsWith("qAttached:")) return "1";
        if (p.equals("qC")) return "QC" + Integer.toHexString(lastStop.cpu() + 1);
        if (p.equals("qfThreadInfo")) {
            StringBuilder s = new StringBuilder("m");
            for (int i = 1; i <= target.cpus(); i++) s.append(i == 1 ? "" : ",").append(Integer.toHexString(i));
            return s.toString();
        }
        if (p.equals("qsThreadInfo")) return "l";
        if (p.startsWith("qThreadExtraInfo,")) {
            int cpu = cpuOf(p.substring(17));
            return cpu < 0 ? "E01" : Rsp.hex(target.threadInfo(cpu));
        }
        if (p.startsWith("qXfer:threads:read::")) return threads(p.substring("qXfer:threads:read::".length()));
        if (p.startsWith("qRcmd,")) return Rsp.hex(target.monitor(new String(Rsp.unhex(p.substring(6)), StandardCharsets.UTF_8)));
        if (p.equals("qSymbol::")) return "OK";
        return "";
    }

    /** The thread list as qXfer:threads:read gives it: ids, cores, and what "info threads" shows. */
    private String threads(String range) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<threads>\n");
        for (int i = 0; i < target.cpus(); i++) {
            xml.append(String.format(Locale.ROOT, "  <thread id=\"%x\" core=\"%d\" name=\"CPU %d\">%s</thread>%n", i + 1, i, i, target.threadInfo(i)));
        }
        return slice(xml.append("</threads>\n").toString(), range);
    }

    /** The part offset,length of an annex, as qXfer replies carry it. */
    private static String slice(String xml, String range) {
        String[] r = range.split(",");
        if (r.length != 2) throw new Rsp.BadPacket("qXfer offset,length");
        long offset = Rsp.number(r[0]), length = Rsp.number(r[1]);
        if (offset >= xml.length()) return "l";
        int from = (int) offset;
        int to = (int) Math.min(xml.length(), from + Math.min(length, Rsp.MAX_PACKET / 2));
        return (to == xml.length() ? "l" : "m") + xml.substring(from, to);
    }

    /** The CPU of a thread id (1..n), or -1 if there is no such thread; -1 and 0 ("any") are not one thread. */
    private int cpuOf(String id) {
        if (id.equals("-1")) return -1;
        long t = Rsp.number(id);
        return t >= 1 && t <= target.cpus() ? (int) t - 1 : -1;
    }

    /** Hg (registers, memory) or Hc (step and continue) with a thread id: -1 all, 0 any, or one thread. */
    private String selectThread(String p) {
        if (p.length() < 3) throw new Rsp.BadPacket("H without op and thread");
        char op = p.charAt(1);
        String id = p.substring(2);
        boolean anyOrAll = id.equals("-1") || id.equals("0");
        int cpu = anyOrAll ? -1 : cpuOf(id);
        if (!anyOrAll && cpu < 0) return "E01";
        if (op == 'g') {
            if (cpu >= 0) registerCpu = cpu;
        } else if (op == 'c') {
            continueCpu = cpu;
        } else {
            return "";
        }
        return "OK";
    }

    /** The thread a resume without a thread id steps: Hc's if it named one, else the one gdb looks at (Hg). */
    private int resumeCpu() {
        return continueCpu >= 0 ? continueCpu : registerCpu;
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

    /** Every CPU is a live thread, powered off or not (a CPU that PSCI turned off can be turned on again). */
    private String threadAlive(String id) {
        long t = Rsp.number(id.startsWith("-") ? "1" : id);
        return t >= 1 && t <= target.cpus() ? "OK" : "E01";
    }

    // ---- Registers ----------------------------------------------------------------------------
    private String readAllRegisters() {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < Aarch64Registers.COUNT; r++) {
            byte[] v = target.readRegister(registerCpu, r);
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
            if (!target.writeRegister(registerCpu, r, v)) return "E01";
            at += size;
        }
        return "OK";
    }

    private String readRegister(String n) {
        byte[] v = target.readRegister(registerCpu, (int) Math.min(Rsp.number(n), Integer.MAX_VALUE));
        return v == null ? "E01" : Rsp.hex(v, v.length);
    }

    private String writeRegister(String args) {
        int eq = args.indexOf('=');
        if (eq < 0) throw new Rsp.BadPacket("P without =");
        int r = (int) Math.min(Rsp.number(args.substring(0, eq)), Integer.MAX_VALUE);
        return target.writeRegister(registerCpu, r, Rsp.unhex(args.substring(eq + 1))) ? "OK" : "E01";
    }

    // ---- Memory -------------------------------------------------------------------------------
    private String readMemory(String args) {
        long[] al = addressLength(args);
        // Longer than a reply can carry: answer the first part; gdb asks again for the rest.
        int length = (int) Math.min(al[1], (Rsp.MAX_PACKET - 4) / 2);
        if (length == 0) return "";
        byte[] data = new byte[length];
        int n = target.readMemory(registerCpu, al[0], data);
        return n == 0 ? "E14" : Rsp.hex(data, n);
    }

    private String writeMemoryHex(String args) {
        int colon = args.indexOf(':');
        if (colon < 0) throw new Rsp.BadPacket("M without :");
        long[] al = addressLength(args.substring(0, colon));
        byte[] data = Rsp.unhex(args.substring(colon + 1));
        if (data.length != al[1]) throw new Rsp.BadPacket("M length does not match its data");
        return data.length == 0 || target.writeMemory(registerCpu, al[0], data) ? "OK" : "E14";
    }

    private String writeMemoryBinary(String args) {
        int colon = args.indexOf(':');
        if (colon < 0) throw new Rsp.BadPacket("X without :");
        long[] al = addressLength(args.substring(0, colon));
        byte[] data = args.substring(colon + 1).getBytes(StandardCharsets.ISO_8859_1);
        if (data.length != al[1]) throw new Rsp.BadPacket("X length does not match its data");
        return data.length == 0 || target.writeMemory(registerCpu, al[0], data) ? "OK" : "E14";
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
        return target.setPoint(registerCpu, kind, address, length, insert) ? "OK" : "E01";
    }

    // ---- Running ------------------------------------------------------------------------------
    private static String afterSignal(String args) {
        int semi = args.indexOf(';');
        return semi < 0 ? "" : args.substring(semi + 1);
    }

    private String resume(Resume how, int cpu, String address, long rangeStart, long rangeEnd) {
        if (!address.isEmpty()) {
            // c ADDR / s ADDR: resume at ADDR.
            if (!target.writeRegister(cpu, Aarch64Registers.PC, Rsp.le(Rsp.number(address), 8))) return "E01";
        }
        running = true;
        // Both flags are volatile: either clientGone saw running, or this sees gone (a disconnect is never lost).
        if (gone) target.interrupt();
        try {
            lastStop = target.resume(how, cpu, rangeStart, rangeEnd);
        } finally {
            running = false;
        }
        // gdb switches to the thread a stop names, and reads its registers (it may not say Hg first).
        if (lastStop.kind() != Stop.Kind.EXITED && lastStop.kind() != Stop.Kind.TERMINATED) registerCpu = lastStop.cpu();
        output = lastStop.note();
        return stopReply(lastStop);
    }

    private String reverse(String p) {
        if (!target.canReverse()) return "";
        return switch (p) {
            case "bc" -> resume(Resume.REVERSE_CONTINUE, resumeCpu(), "", 0, 0);
            case "bs" -> resume(Resume.REVERSE_STEP, resumeCpu(), "", 0, 0);
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

    /**
     * vCont: a step or range step (of the thread it names, or of the selected
     * one) decides, whatever the others are told (they run on the schedule
     * anyway); otherwise a continue. A continue that leaves some threads
     * stopped (scheduler-locking on) is refused: the CPUs run on one schedule.
     */
    private String vCont(String actions) {
        String stepAction = null;
        int stepCpu = -1;
        boolean continueAll = false, continueSome = false, stopOnly = true;
        for (String action : actions.split(";")) {
            int colon = action.indexOf(':');
            String thread = colon < 0 ? null : action.substring(colon + 1);
            String what = colon < 0 ? action : action.substring(0, colon);
            if (what.isEmpty()) throw new Rsp.BadPacket("empty vCont action");
            boolean all = thread == null || thread.equals("-1") || thread.equals("0");
            int cpu = all ? -1 : cpuOf(thread);
            if (!all && cpu < 0) return "E01";
            switch (what.charAt(0)) {
                case 's', 'S', 'r' -> {
                    stopOnly = false;
                    if (stepAction == null) {
                        stepAction = what;
                        stepCpu = cpu >= 0 ? cpu : resumeCpu();
                    }
                }
                case 'c', 'C' -> {
                    stopOnly = false;
                    if (all) continueAll = true;
                    else continueSome = true;
                }
                case 't' -> { }
                default -> throw new Rsp.BadPacket("vCont action " + what);
            }
        }
        if (stopOnly) return "OK"; // stop: it is already stopped (all-stop)
        if (stepAction != null) {
            if (stepAction.charAt(0) == 'r') {
                String[] range = stepAction.substring(1).split(",");
                if (range.length != 2) throw new Rsp.BadPacket("vCont;r start,end");
                return resume(Resume.RANGE_STEP, stepCpu, "", Rsp.number(range[0]), Rsp.number(range[1]));
            }
            return resume(Resume.STEP, stepCpu, "", 0, 0);
        }
        if (continueSome && !continueAll && target.cpus() > 1) {
            throw new UnsupportedOperationException("Deja runs every CPU on the machine's one schedule (a function of the seed): "
                    + "some threads cannot run while others are held; set scheduler-locking off");
        }
        return resume(Resume.CONTINUE, resumeCpu(), "", 0, 0);
    }

    // ---- Stop replies -------------------------------------------------------------------------------
    private String stopReply(Stop stop) {
        String thread = String.format(Locale.ROOT, "thread:%x;core:%x;", stop.cpu() + 1, stop.cpu());
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
            // A signal, as QEMU reports its own internal errors (SIGABRT); gdb says "received signal SIGABRT, Aborted".
            case PANICKED -> String.format(Locale.ROOT, "T%02x", stop.code() & 0xFF) + thread;
            case TERMINATED -> String.format(Locale.ROOT, "X%02x", stop.code() & 0xFF);
        };
    }

    private static String shorten(String packet) {
        return packet.length() <= 40 ? packet : packet.substring(0, 40) + "...";
    }
}
