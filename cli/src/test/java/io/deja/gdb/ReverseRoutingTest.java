package io.deja.gdb;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a target with a history (the replay timeline) gets from the stub:
 * gdb is offered reverse execution, bc and bs become REVERSE_CONTINUE and
 * REVERSE_STEP, and the stops the target reports reach gdb as the protocol
 * spells them (watch:ADDR before the access, replaylog:begin at the start of
 * the history). The target here only records what it was asked.
 */
@Timeout(60)
class ReverseRoutingTest {
    /** A target with a scripted history: each resume returns the next stop. */
    private static final class ScriptedTarget implements GdbTarget {
        final List<String> calls = new ArrayList<>();
        final List<Stop> stops;

        ScriptedTarget(List<Stop> stops) {
            this.stops = new ArrayList<>(stops);
        }

        @Override public int cpus() { return 1; }
        @Override public byte[] readRegister(int cpu, int regnum) { return Aarch64Registers.size(regnum) == 0 ? null : new byte[Aarch64Registers.size(regnum)]; }
        @Override public boolean writeRegister(int cpu, int regnum, byte[] value) { return false; }
        @Override public int readMemory(int cpu, long address, byte[] into) { return 0; }
        @Override public boolean writeMemory(int cpu, long address, byte[] data) { return false; }

        @Override
        public boolean setPoint(int cpu, PointKind kind, long address, long length, boolean insert) {
            calls.add((insert ? "insert " : "remove ") + kind + " " + Long.toHexString(address) + "," + length);
            return true;
        }

        @Override
        public Stop resume(Resume how, int cpu, long rangeStart, long rangeEnd) {
            calls.add(how.toString());
            return stops.remove(0);
        }

        @Override public void interrupt() { }
        @Override public boolean canReverse() { return true; }
        @Override public long instructions() { return 0; }
        @Override public String monitor(String command) { return ""; }
        @Override public void detach() { calls.add("detach"); }
    }

    @Test
    void reverseRequestsReachTheTargetAndItsStopsReachGdb() throws Exception {
        ScriptedTarget target = new ScriptedTarget(List.of(
                new GdbTarget.Stop(GdbTarget.Stop.Kind.WATCH_WRITE, 0x12000, 0),
                GdbTarget.Stop.of(GdbTarget.Stop.Kind.TRAPPED),
                GdbTarget.Stop.of(GdbTarget.Stop.Kind.HISTORY_BEGIN),
                new GdbTarget.Stop(GdbTarget.Stop.Kind.BREAKPOINT, 0x100d0, 0)));
        try (GdbServer server = GdbServer.bind("127.0.0.1:0")) {
            StringWriter log = new StringWriter();
            CompletableFuture<GdbServer.Outcome> serving = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.serve(target, new PrintWriter(log, true));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(30_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                assertThat(ask(in, out, "qSupported:swbreak+")).contains("ReverseStep+", "ReverseContinue+");
                assertThat(ask(in, out, "Z2,12000,4")).isEqualTo("OK");
                assertThat(ask(in, out, "bc")).isEqualTo("T05thread:1;core:0;watch:12000;");
                assertThat(ask(in, out, "bs")).isEqualTo("T05thread:1;core:0;");
                assertThat(ask(in, out, "bc")).isEqualTo("T05thread:1;core:0;replaylog:begin;");
                assertThat(ask(in, out, "c")).isEqualTo("T05thread:1;core:0;swbreak:;");
                assertThat(ask(in, out, "bx")).isEmpty();
                assertThat(ask(in, out, "D")).isEqualTo("OK");
            }
            assertThat(serving.get(30, TimeUnit.SECONDS)).isEqualTo(GdbServer.Outcome.DETACHED);
        }
        assertThat(target.calls).containsExactly("insert WRITE 12000,4", "REVERSE_CONTINUE", "REVERSE_STEP", "REVERSE_CONTINUE",
                "CONTINUE", "detach");
    }

    private static String ask(InputStream in, OutputStream out, String payload) throws IOException {
        out.write(Rsp.frame(payload));
        out.flush();
        assertThat((char) in.read()).isEqualTo('+');
        int b;
        while ((b = in.read()) != '$') assertThat(b).isNotNegative();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while ((b = in.read()) != '#') body.write(b);
        in.read();
        in.read();
        out.write('+');
        return body.toString(StandardCharsets.ISO_8859_1);
    }
}
