package io.deja.gdb;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stub at the packet level, with a raw socket as the client: the replies
 * gdb relies on, and robustness against bad checksums, oversized and
 * malformed packets, unmapped memory and clients that go away. The guest is
 * kernels/bench_int (a long integer loop on vibe, code at 0x10000).
 */
@Timeout(120)
class GdbProtocolTest {
    private static final long LOAD = 0x10000;

    private GdbServer server;
    private CompletableFuture<GdbServer.Outcome> serving;
    private final StringWriter log = new StringWriter();
    private Machine machine;

    private void start(String kernel) throws Exception {
        Path image = io.deja.cli.TestKernels.build(kernel);
        start(MachineConfig.of(Board.VIBE, Files.readAllBytes(image)));
    }

    private void start(MachineConfig config) throws Exception {
        machine = new Machine(config, OutputStream.nullOutputStream());
        MachineTarget target = new MachineTarget(machine, Long.MAX_VALUE);
        server = GdbServer.bind("0");
        PrintWriter w = new PrintWriter(log, true);
        serving = CompletableFuture.supplyAsync(() -> {
            try {
                return server.serve(target, w);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        if (machine != null) machine.cancel();
        if (server != null) server.close();
    }

    /** A client speaking raw RSP. */
    private final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        boolean noAck;

        Client() throws IOException {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(60_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void raw(String bytes) throws IOException {
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Sends a packet and returns the reply's payload (acknowledged as gdb does). */
        String ask(String payload) throws IOException {
            raw(new String(Rsp.frame(payload), StandardCharsets.ISO_8859_1));
            if (!noAck) assertThat((char) in.read()).isEqualTo('+');
            return reply();
        }

        String reply() throws IOException {
            int b;
            while ((b = in.read()) != '$') {
                if (b < 0) throw new IOException("closed");
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while ((b = in.read()) != '#') body.write(b);
            byte[] bytes = body.toByteArray();
            int sum = Integer.parseInt(new String(new byte[] {(byte) in.read(), (byte) in.read()}, StandardCharsets.ISO_8859_1), 16);
            assertThat(sum).isEqualTo(Rsp.checksum(bytes, 0, bytes.length));
            if (!noAck) raw("+");
            return Rsp.unescape(bytes, bytes.length);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void handshakeDescribesAnAarch64TargetStoppedAtTheFirstInstruction() throws Exception {
        start("bench_int");
        try (Client c = new Client()) {
            String supported = c.ask("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;xmlRegisters=i386");
            assertThat(supported).contains("PacketSize=4000", "qXfer:features:read+", "QStartNoAckMode+", "vContSupported+")
                    .doesNotContain("ReverseContinue");
            assertThat(c.ask("QStartNoAckMode")).isEqualTo("OK");
            c.noAck = true;
            assertThat(c.ask("?")).isEqualTo("T05thread:1;core:0;");
            assertThat(c.ask("qAttached")).isEqualTo("1");
            assertThat(c.ask("qC")).isEqualTo("QC1");
            assertThat(c.ask("qfThreadInfo")).isEqualTo("m1");
            assertThat(c.ask("qsThreadInfo")).isEqualTo("l");
            assertThat(c.ask("vCont?")).isEqualTo("vCont;c;C;s;S;r");
            assertThat(c.ask("vMustReplyEmpty")).isEmpty();
            String target = c.ask("qXfer:features:read:target.xml:0,ffb");
            assertThat(target).startsWith("l").contains("<architecture>aarch64</architecture>", "aarch64-core.xml", "aarch64-fpu.xml");
            String core = c.ask("qXfer:features:read:aarch64-core.xml:0,ffb");
            assertThat(core).contains("org.gnu.gdb.aarch64.core", "name=\"x30\"", "name=\"cpsr\" bitsize=\"32\"");
            // Read in pieces as gdb does for a long annex.
            String first = c.ask("qXfer:features:read:aarch64-fpu.xml:0,40");
            assertThat(first).startsWith("m").hasSize(0x41);
            assertThat(c.ask("qXfer:features:read:nosuch.xml:0,40")).startsWith("E");
            // Registers: 31 X, SP, PC (8 bytes), CPSR (4), V0-V31 (16), FPSR and FPCR (4).
            String g = c.ask("g");
            assertThat(g).hasSize(2 * (33 * 8 + 4 + 32 * 16 + 8));
            assertThat(c.ask("p20")).isEqualTo("0000010000000000"); // pc = 0x10000
            assertThat(c.ask("p21")).isEqualTo("c5030040");         // cpsr = 0x400003c5
        }
    }

    @Test
    void memoryRegistersAndBreakpointsWork() throws Exception {
        start("bench_int");
        try (Client c = new Client()) {
            // The first instruction, as the file holds it.
            byte[] image = Files.readAllBytes(io.deja.cli.TestKernels.build("bench_int"));
            assertThat(c.ask("m10000,4")).isEqualTo(Rsp.hex(image, 4));
            // X with escaped bytes ('}' '#' '$' '*'), then read back.
            byte[] data = {0x7d, 0x23, 0x24, 0x2a, 0x00, 0x03};
            StringBuilder x = new StringBuilder("X200000,6:");
            for (byte b : data) x.append((char) (b & 0xFF));
            assertThat(c.ask(x.toString())).isEqualTo("OK");
            assertThat(c.ask("m200000,6")).isEqualTo("7d23242a0003");
            assertThat(c.ask("M200000,2:beef")).isEqualTo("OK");
            assertThat(c.ask("m200000,3")).isEqualTo("beef24");
            // Registers: P then p, V registers 128 bits.
            assertThat(c.ask("P5=8877665544332211")).isEqualTo("OK");
            assertThat(c.ask("p5")).isEqualTo("8877665544332211");
            assertThat(c.ask("P23=00112233445566778899aabbccddeeff")).isEqualTo("OK"); // v1
            assertThat(c.ask("p23")).isEqualTo("00112233445566778899aabbccddeeff");
            assertThat(c.ask("p43")).isEqualTo("00000000"); // fpcr
            assertThat(c.ask("p99")).startsWith("E");
            // System registers after FPCR: SCTLR_EL1's reset value; those the guest can write with MSR are writable
            // (TPIDR_EL1), the others refused with the reason (MIDR_EL1, CNTVCT_EL0).
            assertThat(c.ask("p44")).isEqualTo("3808c50000000000");
            assertThat(c.ask("P50=8877665544332211")).isEqualTo("OK");
            assertThat(c.ask("p50")).isEqualTo("8877665544332211");
            assertThat(c.ask("P5c=0000000000000000")).isEqualTo("E.midr_el1 is read-only (the guest cannot write it either)");
            assertThat(c.ask("P5b=0000000000000000")).startsWith("E.cntvct_el0 is read-only");
            assertThat(c.ask("p5c")).isNotEqualTo("0000000000000000");
            assertThat(c.ask("qXfer:features:read:system-registers.xml:0,ffb")).contains("name=\"sctlr_el1\" bitsize=\"64\" regnum=\"68\"");
            // Step, then a breakpoint two instructions on.
            assertThat(c.ask("s")).isEqualTo("T05thread:1;core:0;");
            assertThat(c.ask("p20")).isEqualTo("0400010000000000");
            assertThat(c.ask("Z0,10008,4")).isEqualTo("OK");
            assertThat(c.ask("c")).isEqualTo("T05thread:1;core:0;"); // no swbreak+ in this client's qSupported
            assertThat(c.ask("p20")).isEqualTo("0800010000000000");
            assertThat(c.ask("z0,10008,4")).isEqualTo("OK");
            assertThat(c.ask("vCont;s:1")).isEqualTo("T05thread:1;core:0;");
            assertThat(c.ask("p20")).isEqualTo("0c00010000000000");
            // Range step: runs while pc is in [0x1000c, 0x10014).
            assertThat(c.ask("vCont;r1000c,10014:1")).isEqualTo("T05thread:1;core:0;");
            assertThat(c.ask("p20")).isEqualTo("1400010000000000");
            assertThat(c.ask("qRcmd," + Rsp.hex("icount"))).isEqualTo(Rsp.hex("icount 5 (pc 0x10014, virtual time 5 cycles)\n"));
        }
    }

    @Test
    void badInputGetsErrorsAndTheServerStaysUp() throws Exception {
        start("bench_int");
        try (Client c = new Client()) {
            // A bad checksum is refused with '-' and the packet dropped.
            c.raw("$qC#00");
            assertThat((char) c.in.read()).isEqualTo('-');
            assertThat(c.ask("qC")).isEqualTo("QC1");
            // Longer than PacketSize: read to its end, answered with an error.
            String huge = "m" + "0".repeat(20_000);
            assertThat(c.ask(huge)).isEqualTo("E01");
            // Malformed requests.
            assertThat(c.ask("mzz,4")).startsWith("E");
            assertThat(c.ask("m10000")).startsWith("E");
            assertThat(c.ask("M10000,4:00")).startsWith("E");
            assertThat(c.ask("Pzz")).startsWith("E");
            assertThat(c.ask("Z0,nothex,4")).startsWith("E");
            assertThat(c.ask("vCont;q")).startsWith("E");
            // Unmapped memory (beyond RAM, and the UART's MMIO window): E replies, nothing read or written.
            assertThat(c.ask("m20000000,4")).isEqualTo("E14");
            assertThat(c.ask("m9000000,4")).isEqualTo("E14");
            assertThat(c.ask("M20000000,1:00")).isEqualTo("E14");
            // A huge read is answered in part (gdb asks again for the rest).
            assertThat(c.ask("m10000,100000").length()).isLessThanOrEqualTo(Rsp.MAX_PACKET);
            // Partly readable: the readable part.
            assertThat(c.ask("m7fffffe,4")).hasSize(4);
            // Unknown packets get the empty reply.
            assertThat(c.ask("qNoSuchThing")).isEmpty();
            assertThat(c.ask("Z9,10000,4")).isEmpty();
        }
        // The client went away: a new one finds the guest where it was.
        try (Client c = new Client()) {
            assertThat(c.ask("?")).isEqualTo("T05thread:1;core:0;");
            assertThat(c.ask("p20")).isEqualTo("0000010000000000");
            assertThat(c.ask("D")).isEqualTo("OK");
        }
        assertThat(serving.get(30, TimeUnit.SECONDS)).isEqualTo(GdbServer.Outcome.DETACHED);
        assertThat(log.toString()).contains("client disconnected").doesNotContain("internal error");
    }

    @Test
    void ctrlCStopsARunningGuestAtAnInstructionBoundary() throws Exception {
        start("bench_int");
        try (Client c = new Client()) {
            c.raw(new String(Rsp.frame("c"), StandardCharsets.ISO_8859_1));
            assertThat((char) c.in.read()).isEqualTo('+');
            Thread.sleep(300);
            c.raw("\u0003");
            assertThat(c.reply()).isEqualTo("T02thread:1;core:0;");
            String icount = new String(Rsp.unhex(c.ask("qRcmd," + Rsp.hex("icount"))), StandardCharsets.UTF_8);
            assertThat(Long.parseLong(icount.split(" ")[1])).isPositive();
            // Running on after the interrupt works, and a client that vanishes while the guest runs stops it.
            c.raw(new String(Rsp.frame("c"), StandardCharsets.ISO_8859_1));
            assertThat((char) c.in.read()).isEqualTo('+');
        }
        try (Client c = new Client()) {
            assertThat(c.ask("?")).isEqualTo("T05thread:1;core:0;");
            c.raw(new String(Rsp.frame("k"), StandardCharsets.ISO_8859_1));
            assertThat((char) c.in.read()).isEqualTo('+');
            assertThat(c.in.read()).isEqualTo(-1); // no reply to k: the server closes the connection
        }
        assertThat(serving.get(30, TimeUnit.SECONDS)).isEqualTo(GdbServer.Outcome.KILLED);
    }

    /**
     * Four CPUs (kernels/smp.S on virt): threads 1-4, all alive (CPUs 1-3 powered
     * off at first), their state in qThreadExtraInfo and qXfer:threads:read; Hg
     * selects whose registers p reads (MPIDR_EL1 is CPU n's); a thread that
     * does not exist is an error; stepping a powered-off CPU and continuing
     * some threads only are refused with the reason; a step of CPU 0 reports
     * thread 1 with its core.
     */
    @Test
    void severalCpusAreThreads() throws Exception {
        Path image = io.deja.cli.TestKernels.build("smp").resolveSibling("smp.virt.bin");
        start(MachineConfig.of(Board.VIRT, Files.readAllBytes(image)).withCpus(4));
        int mpidr = Aarch64Registers.COUNT + Aarch64Registers.SYSTEM.indexOf("MPIDR_EL1");
        try (Client c = new Client()) {
            assertThat(c.ask("qSupported:swbreak+")).contains("qXfer:threads:read+");
            assertThat(c.ask("qfThreadInfo")).isEqualTo("m1,2,3,4");
            assertThat(c.ask("qsThreadInfo")).isEqualTo("l");
            assertThat(c.ask("qC")).isEqualTo("QC1");
            for (String t : List.of("1", "2", "4")) assertThat(c.ask("T" + t)).isEqualTo("OK");
            assertThat(c.ask("T5")).isEqualTo("E01");
            assertThat(new String(Rsp.unhex(c.ask("qThreadExtraInfo,1")), StandardCharsets.UTF_8)).isEqualTo("CPU 0, EL1");
            assertThat(new String(Rsp.unhex(c.ask("qThreadExtraInfo,3")), StandardCharsets.UTF_8)).isEqualTo("CPU 2, powered off");
            assertThat(c.ask("qXfer:threads:read::0,1000")).startsWith("l<?xml").contains(
                    "<thread id=\"1\" core=\"0\" name=\"CPU 0\">CPU 0, EL1</thread>",
                    "<thread id=\"4\" core=\"3\" name=\"CPU 3\">CPU 3, powered off</thread>");
            assertThat(c.ask("p" + Integer.toHexString(mpidr))).isEqualTo("0000008000000000");
            assertThat(c.ask("Hg3")).isEqualTo("OK");
            assertThat(c.ask("p" + Integer.toHexString(mpidr))).isEqualTo("0200008000000000");
            assertThat(c.ask("Hg9")).isEqualTo("E01");
            assertThat(c.ask("vCont;s:3")).startsWith("E.thread 3 is CPU 2, powered off");
            assertThat(c.ask("vCont;c:2")).startsWith("E.Deja runs every CPU on the machine's one schedule");
            assertThat(c.ask("vCont;s:1;c")).isEqualTo("T05thread:1;core:0;");
            assertThat(c.ask("Hg1")).isEqualTo("OK");
            assertThat(c.ask("p" + Integer.toHexString(Aarch64Registers.PC))).isEqualTo(Rsp.hex(Rsp.le(0x4008_0004L, 8), 8));
        }
    }
}
