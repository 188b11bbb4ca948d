package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.board.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** deja run: boots a raw binary on a board and runs it, then prints exit statistics. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Runs a guest until it powers off, the instruction budget is used up, or Ctrl-C.",
            "The guest's console (PL011) goes to standard output; the exit statistics table to standard error."
        })
public final class RunCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    MachineOptions.Mixin machineOptions = new MachineOptions.Mixin();

    @Option(names = "--max-insns", paramLabel = "N", description = "Stop after N instructions (default: no limit).")
    Long maxInsns;

    @Option(names = "--dump-regs", description = "Print the registers at the end: X0-X30, SP, PC, PSTATE, FPCR, FPSR and V0-V31 (as Q00-Q31, bits 127:64:63:0), in the layout of QEMU's -d cpu,fpu.")
    boolean dumpRegs;

    @Option(names = "--dump-mem", paramLabel = "ADDR:LEN", description = "Hex dump of guest memory at the end (repeatable).")
    List<String> dumpMem = List.of();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        MachineConfig config = machineOptions.config();
        long budget = maxInsns == null ? Long.MAX_VALUE : maxInsns;
        if (budget <= 0) throw new UserError("--max-insns: must be a positive number of instructions");
        List<MemoryDump.Range> dumps = dumpMem.stream().map(MemoryDump::parse).toList();
        Machine machine = MachineOptions.build(config);
        for (MemoryDump.Range r : dumps) MemoryDump.check(machine.vm(), r);

        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            machine.cancel();
            try {
                finished.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            RunResult result = machine.run(budget);
            err.println();
            err.printf("stopped: %s at pc 0x%x%n", describe(result), result.pc());
            err.print(machine.statistics().format());
            if (dumpRegs) err.print(RegisterDump.format(machine.vm()));
            for (MemoryDump.Range r : dumps) err.print(MemoryDump.format(machine.vm(), r));
            err.flush();
            return 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook is already running and waits for us.
            }
        }
    }

    private static String describe(RunResult result) {
        String why = RecordCommand.describe(result.reason());
        boolean debugExit = switch (result.reason()) {
            case BRK, HLT, SMC -> true;
            default -> false;
        };
        return debugExit && result.lastExit() != null ? why + ": " + result.lastExit() : why;
    }
}
