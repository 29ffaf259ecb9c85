package dev.cleanroom.engine.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean ...?" for misspelled keys, types and service names. */
public final class Suggestions {

    private Suggestions() {}

    /** The closest candidate within a small edit distance, if any is close enough to help. */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        int limit = Math.max(2, input.length() / 3);
        return candidates.stream()
                .filter(c -> distance(input.toLowerCase(), c.toLowerCase()) <= limit)
                .min(Comparator.comparingInt(c -> distance(input.toLowerCase(), c.toLowerCase())));
    }

    /** "did you mean `image`?" or, without a close match, the accepted names. */
    public static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates)
                .map(c -> "did you mean `" + c + "`?")
                .orElseGet(() -> "accepted: " + String.join(", ", candidates));
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
