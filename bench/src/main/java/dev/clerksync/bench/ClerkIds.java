package dev.clerksync.bench;

import java.util.SplittableRandom;

/**
 * Ids shaped like Clerk's and Svix's ({@code user_2nhHMVwjQOw3wThowNX4ZveCjwB}): a prefix, then 27
 * characters that start with the run's tag, so that a run finds its own rows among any others.
 */
final class ClerkIds {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int LENGTH = 27;

    private final String runTag;
    private final SplittableRandom random;

    ClerkIds(String runTag, SplittableRandom random) {
        this.runTag = runTag;
        this.random = random;
    }

    /** A fresh tag for a run: {@code b} and five random characters. */
    static String newRunTag() {
        SplittableRandom random = new SplittableRandom();
        StringBuilder tag = new StringBuilder("b");
        for (int i = 0; i < 5; i++) {
            tag.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return tag.toString();
    }

    /** What every id of this kind made in this run starts with, e.g. {@code user_bK3x9Q}. */
    String prefix(String kind) {
        return kind + "_" + runTag;
    }

    String next(String kind) {
        StringBuilder id = new StringBuilder(prefix(kind));
        while (id.length() < kind.length() + 1 + LENGTH) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
