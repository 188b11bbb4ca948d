package io.deja.cli;

/** An inclusive range of chaos seeds as given to --seeds: "A..B" or a single "N". */
record SeedRange(long first, long last) {
    static SeedRange parse(String text, String option) {
        String t = text.strip();
        int dots = t.indexOf("..");
        try {
            long a = Long.parseLong(dots < 0 ? t : t.substring(0, dots).strip());
            long b = dots < 0 ? a : Long.parseLong(t.substring(dots + 2).strip());
            if (a < 0 || b < a) {
                throw new UserError(option + ": '" + text + "' is not a range of seeds FIRST..LAST with 0 <= FIRST <= LAST");
            }
            return new SeedRange(a, b);
        } catch (NumberFormatException e) {
            throw new UserError(option + ": '" + text + "' is not a range of seeds like 1..500");
        }
    }

    long count() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first == last ? Long.toString(first) : first + ".." + last;
    }
}
