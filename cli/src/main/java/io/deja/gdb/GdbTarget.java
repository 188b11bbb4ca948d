package io.deja.gdb;

/**
 * What the gdb stub debugs: a machine stopped at an instruction boundary
 * between calls. A live run ({@link MachineTarget}) goes forward only; a
 * replay timeline implements the same interface and also goes backward,
 * which is all that gdb's reverse execution needs from it.
 *
 * Registers are numbered as in the target description
 * ({@link Aarch64Registers}); values travel as little-endian bytes.
 * Addresses are virtual, translated as the given CPU would now.
 *
 * CPUs are numbered from 0 here; gdb numbers threads from 1 (thread n + 1
 * is CPU n, the session translates).
 */
public interface GdbTarget {
    /** How to run. The reverse ones exist only when {@link #canReverse()}. */
    enum Resume {
        /** Until a breakpoint, a watchpoint, an interrupt from the client, or the end of the run. */
        CONTINUE,
        /** One instruction. */
        STEP,
        /** Instructions while the PC stays in [rangeStart, rangeEnd) (gdb's vCont;r), stopping early as CONTINUE does. */
        RANGE_STEP,
        /**
         * Backwards to the most recent stop before now: the last breakpoint
         * hit (at its PC, before the instruction ran) or watchpoint hit
         * (just after the access: gdb steps over an AArch64 watchpoint in the
         * direction it runs, so its reverse step lands before the access, the
         * old value in memory), or the start of the history.
         */
        REVERSE_CONTINUE,
        /** Back to the boundary before the previous instruction, or the start of the history. */
        REVERSE_STEP
    }

    /**
     * Why the target stopped, and for which CPU (the thread gdb is told); the
     * session turns it into a stop reply. note: text gdb prints before it (an
     * O packet: the guest's panic line), or null.
     */
    record Stop(Kind kind, long address, int code, int cpu, String note) {
        public Stop(Kind kind, long address, int code) {
            this(kind, address, code, 0, null);
        }

        public Stop(Kind kind, long address, int code, int cpu) {
            this(kind, address, code, cpu, null);
        }

        /** The same stop, for CPU cpu. */
        public Stop withCpu(int cpu) {
            return new Stop(kind, address, code, cpu, note);
        }

        /** gdb's number for SIGABRT: a guest kernel panic is reported as the kernel's abort(). */
        public static final int SIGABRT = 6;

        /**
         * The guest kernel panicked just now, at icount: the machine stopped for
         * good there (its state readable, and on a timeline, the history before it).
         */
        public static Stop panicked(int cpu, long icount, String line) {
            return new Stop(Kind.PANICKED, 0, SIGABRT, cpu,
                    String.format(java.util.Locale.ROOT, "deja: the guest kernel panicked at icount %d: %s%n", icount, line));
        }

        /** Asked to run on from a panic: the run is over (the signal that ended it). */
        public static Stop terminated() {
            return new Stop(Kind.TERMINATED, 0, SIGABRT, 0, null);
        }

        public enum Kind {
            /** A software (Z0) breakpoint at address. */
            BREAKPOINT,
            /** A hardware (Z1) breakpoint at address. */
            HW_BREAKPOINT,
            /** A watchpoint (Z2, Z3, Z4) on address, before the access. */
            WATCH_WRITE, WATCH_READ, WATCH_ACCESS,
            /** A step finished, or the guest trapped to the host (BRK with exits on). */
            TRAPPED,
            /** The client interrupted it (Ctrl-C). */
            INTERRUPTED,
            /** Reverse execution reached the start of the history, or forward replay its end. */
            HISTORY_BEGIN, HISTORY_END,
            /** The machine cannot run any more (powered off, budget used up): code is the exit status. */
            EXITED,
            /**
             * The guest kernel panicked (PanicWatch stopped the machine for good): code is
             * the signal gdb is shown (SIGABRT), note the panic line. The stop is a stop,
             * not an exit: the state can be read, and a timeline goes back from it.
             */
            PANICKED,
            /** Resumed after PANICKED: the run ended there; code is the signal (gdb's X reply). */
            TERMINATED
        }

        public static Stop of(Kind kind) {
            return new Stop(kind, 0, 0);
        }
    }

    /** Breakpoint and watchpoint kinds as Z packets number them (0 software .. 4 access). */
    enum PointKind { SOFTWARE, HARDWARE, WRITE, READ, ACCESS }

    /** How many vCPUs there are (gdb threads 1..n). */
    int cpus();

    /** What gdb shows for CPU cpu in "info threads": "CPU 2, EL1", "CPU 2, EL1, WFI", "CPU 2, powered off". */
    default String threadInfo(int cpu) {
        return "CPU " + cpu;
    }

    /** The value of CPU cpu's register regnum, or null if there is no such register. */
    byte[] readRegister(int cpu, int regnum);

    /**
     * Sets CPU cpu's register regnum; false if there is no such register or the value is not allowed.
     * @throws UnsupportedOperationException for a read-only system register (the message says so)
     */
    boolean writeRegister(int cpu, int regnum, byte[] value);

    /** Reads up to into.length bytes at a virtual address as CPU cpu translates it; returns how many (0: the first byte is not readable). */
    int readMemory(int cpu, long address, byte[] into);

    /** Writes all of data at a virtual address as CPU cpu translates it; false (and nothing written) if any byte is not writable RAM. */
    boolean writeMemory(int cpu, long address, byte[] data);

    /**
     * Inserts or removes a breakpoint or watchpoint, on every CPU; false if the
     * target does not support that kind there. cpu: whose translation gives a
     * watchpoint's physical address.
     */
    boolean setPoint(int cpu, PointKind kind, long address, long length, boolean insert);

    /**
     * Runs as asked; returns at an instruction boundary. cpu: the CPU that
     * steps (STEP, RANGE_STEP and REVERSE_STEP count its instructions; the
     * machine's schedule runs the others as it always does).
     * Throws UnsupportedOperationException for reverse resumes when it cannot.
     */
    Stop resume(Resume how, int cpu, long rangeStart, long rangeEnd);

    // One CPU's shorthands (CPU 0).
    default byte[] readRegister(int regnum) { return readRegister(0, regnum); }
    default boolean writeRegister(int regnum, byte[] value) { return writeRegister(0, regnum, value); }
    default int readMemory(long address, byte[] into) { return readMemory(0, address, into); }
    default boolean writeMemory(long address, byte[] data) { return writeMemory(0, address, data); }
    default boolean setPoint(PointKind kind, long address, long length, boolean insert) { return setPoint(0, kind, address, length, insert); }
    default Stop resume(Resume how, long rangeStart, long rangeEnd) { return resume(how, 0, rangeStart, rangeEnd); }

    /** Stops a {@link #resume} in progress at the next instruction boundary; called from another thread. */
    void interrupt();

    /** Whether REVERSE_CONTINUE and REVERSE_STEP work (gdb is then offered bc and bs). */
    boolean canReverse();

    /** Instructions retired so far (where we are in time). */
    long instructions();

    /** Answers a monitor command (gdb's "monitor ..."); the text is shown to the user. */
    String monitor(String command);

    /** The client detached: forget every breakpoint and watchpoint. */
    void detach();
}
