package io.deja.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard input as an interactive console, as QEMU's -nographic makes it:
 * the terminal in raw mode (every key goes to the guest as typed, Ctrl-C
 * included, nothing echoed by the host) and Ctrl-A escapes for the host
 * ({@link EscapeKeys}). The terminal's settings are put back on every way out:
 * {@link #close()} and, for SIGINT/SIGTERM, a shutdown hook.
 */
final class Terminal implements AutoCloseable {
    static final String BANNER = "deja: console input from the terminal (Ctrl-A X quits, Ctrl-A H lists the keys)";

    private final String saved;
    private final Thread restoreOnExit;
    private final PrintStream output;
    private boolean restored;

    private Terminal(String saved) {
        this.saved = saved;
        restoreOnExit = new Thread(this::restore, "deja-terminal-restore");
        System.out.flush();
        output = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
    }

    /**
     * Puts standard input's terminal in raw mode, after a line on err saying
     * so; null if standard input is not a terminal (a pipe, a file: input is
     * then read as it comes, without escapes).
     */
    static Terminal rawIfTerminal(java.io.PrintWriter err) {
        String saved;
        try {
            saved = stty("-g");
        } catch (IOException notATerminal) {
            return null;
        }
        err.println(BANNER);
        err.flush();
        Terminal t = new Terminal(saved);
        Runtime.getRuntime().addShutdownHook(t.restoreOnExit);
        try {
            stty("raw", "-echo");
        } catch (IOException e) {
            t.close();
            throw new UserError("--input -: cannot put the terminal in raw mode (" + e.getMessage() + ")");
        }
        return t;
    }

    /** Restores the terminal's settings (once; later calls do nothing). */
    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) restore itself
        }
    }

    private synchronized void restore() {
        if (restored) return;
        restored = true;
        try {
            stty(saved);
        } catch (IOException e) {
            System.err.println("deja: could not restore the terminal (" + e.getMessage() + "): run 'stty sane'");
        }
    }

    /** Runs stty on standard input's terminal; its output, or IOException if it fails (not a terminal). */
    private static String stty(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        try {
            if (p.waitFor() != 0) throw new IOException("stty " + String.join(" ", args) + " failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    /**
     * Standard output without buffering, for the guest's console: every byte
     * the guest writes reaches the terminal at once (an echo, a prompt without
     * a newline), not at the next newline or slice.
     */
    PrintStream output() {
        return output;
    }

    /** Where the Ctrl-A help and notes go (standard error; lines end in CR LF while raw). */
    PrintStream notes() {
        return System.err;
    }

    /**
     * QEMU's Ctrl-A escapes for a console in raw mode: Ctrl-A X quits, Ctrl-A C
     * (QEMU's monitor) is reserved, Ctrl-A H lists the keys, Ctrl-A Ctrl-A sends
     * one Ctrl-A; any other key after Ctrl-A is dropped, as QEMU does.
     */
    static final class EscapeKeys {
        static final int CTRL_A = 0x01;
        static final String HELP = String.join("\r\n",
                "",
                "Ctrl-A H        print this help",
                "Ctrl-A X        quit (the run stops as cancelled; a recording is finished cleanly)",
                "Ctrl-A C        reserved: Deja has no monitor",
                "Ctrl-A Ctrl-A   send Ctrl-A to the guest",
                "");
        static final String NO_MONITOR = "\r\n[deja: Ctrl-A C: there is no monitor (Ctrl-A H lists the keys)]\r\n";

        private final Runnable quit;
        private final PrintStream notes;
        private boolean escape;
        private boolean quitting;

        /**
         * @param quit  called at Ctrl-A X
         * @param notes where the help and notes go (the terminal: lines end in CR LF in raw mode)
         */
        EscapeKeys(Runnable quit, PrintStream notes) {
            this.quit = quit;
            this.notes = notes;
        }

        /**
         * The bytes of buf[0, n) meant for the guest, in place; returns how many.
         * After Ctrl-A X nothing more is kept: {@link #quitting()} holds, and the
         * caller delivers what was kept before calling {@link #quit()}.
         */
        int filter(byte[] buf, int n) {
            int kept = 0;
            for (int i = 0; i < n && !quitting; i++) {
                int b = buf[i] & 0xFF;
                if (!escape) {
                    if (b == CTRL_A) escape = true;
                    else buf[kept++] = (byte) b;
                    continue;
                }
                escape = false;
                switch (b) {
                    case CTRL_A -> buf[kept++] = (byte) CTRL_A;
                    case 'x', 'X' -> quitting = true;
                    case 'c', 'C' -> note(NO_MONITOR);
                    case 'h', 'H', '?' -> note(HELP);
                    default -> { }
                }
            }
            return kept;
        }

        /** Whether Ctrl-A X was typed. */
        boolean quitting() {
            return quitting;
        }

        /** Ends the run (after Ctrl-A X). */
        void quit() {
            quit.run();
        }

        private void note(String text) {
            notes.print(text);
            notes.flush();
        }
    }
}
