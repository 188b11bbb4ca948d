package io.deja.cli;

import picocli.CommandLine;

/** Reports the version Maven wrote into the jar manifest. */
public final class Version implements CommandLine.IVersionProvider {
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"deja " + current()};
    }
}
