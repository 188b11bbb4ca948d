package io.deja.analysis.perfetto;

import java.util.Objects;

/**
 * A named range of instructions drawn as a slice on the timeline's "stages"
 * track: the seam through which boot stages (or any other analysis that
 * names icount ranges) reach the export. Stages may nest; overlapping ones
 * that do not nest are drawn cut at the outer one's end.
 *
 * @param fromIcount first instruction of the stage
 * @param toIcount   instruction it ends at (exclusive)
 */
public record Stage(String name, long fromIcount, long toIcount) {
    public Stage {
        Objects.requireNonNull(name, "name");
        if (toIcount < fromIcount) throw new IllegalArgumentException("stage " + name + " ends (" + toIcount + ") before it starts (" + fromIcount + ")");
    }
}
