package io.deja.core.trace;

import java.util.Arrays;

/**
 * Explicit codes stored in recordings for one enumeration (exit kinds, input
 * sources, stop reasons), declared in events.schema: a code never changes
 * meaning, whatever the order of the Java constants it stands for.
 */
public record CodeTable(String name, String doc, int[] codes, String[] names) {
    public CodeTable {
        codes = codes.clone();
        names = names.clone();
        if (codes.length != names.length) throw new IllegalArgumentException(name + ": " + codes.length + " codes, " + names.length + " names");
    }

    /** The name of code, or "name code" for one the table does not know (a newer recording, a corrupted one). */
    public String nameOf(long code) {
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == code) return names[i];
        }
        return name.substring(name.lastIndexOf('_') + 1) + " " + code;
    }

    /** Whether code is in the table. */
    public boolean known(long code) {
        for (int c : codes) {
            if (c == code) return true;
        }
        return false;
    }

    /** The code of the entry named name (case-insensitive). */
    public int codeOf(String entry) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(entry)) return codes[i];
        }
        throw new IllegalArgumentException(name + " has no entry " + entry);
    }

    @Override
    public int[] codes() {
        return codes.clone();
    }

    @Override
    public String[] names() {
        return names.clone();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(names);
    }
}
