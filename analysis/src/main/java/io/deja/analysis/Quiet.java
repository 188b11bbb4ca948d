package io.deja.analysis;

/**
 * Arrow and Chronicle log through SLF4J, and with no SLF4J provider on the
 * class path SLF4J prints a three-line warning to stderr on first use. The
 * CLI's analysis commands call this first so their output stays clean.
 */
public final class Quiet {
    private Quiet() {}

    public static void slf4j() {
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
}
