package dev.cleanroom.engine.spi;

import java.util.regex.Pattern;

/**
 * Regex matching that gives up at a deadline. Java's regex engine backtracks: a pattern such as
 * {@code (a+)+} can take hours on a short line, and a health check or a step must not hang on it.
 * The text is handed to the matcher through a {@link CharSequence} that looks at the clock every
 * few thousand characters read, which is all the matcher does while it backtracks.
 */
public final class BoundedRegex {

    /** Reads between clock checks: cheap enough not to show, frequent enough to stop within a millisecond. */
    private static final int READS_PER_CHECK = 4096;

    private BoundedRegex() {}

    /** {@link java.util.regex.Matcher#find()} on {@code text}; throws {@link TooSlow} once {@code deadlineNanos} passed. */
    public static boolean find(Pattern pattern, CharSequence text, long deadlineNanos) {
        return pattern.matcher(new DeadlineText(text, deadlineNanos)).find();
    }

    /** The message for a match that did not finish: what, within how long, and what to do. */
    public static String tooSlowMessage(String what, Pattern pattern, String within) {
        return what + " /" + pattern.pattern() + "/ did not finish matching within " + within
                + " (catastrophic backtracking?). Perhaps you should simplify the pattern, e.g. without nested "
                + "repetition such as (a+)+";
    }

    /** Thrown from inside the matcher when the deadline passed. */
    public static final class TooSlow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooSlow() {
            super("the regular expression did not finish matching before its deadline", null, false, false);
        }
    }

    private static final class DeadlineText implements CharSequence {
        private final CharSequence text;
        private final long deadlineNanos;
        private int readsUntilCheck = READS_PER_CHECK;

        DeadlineText(CharSequence text, long deadlineNanos) {
            this.text = text;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public char charAt(int index) {
            if (--readsUntilCheck <= 0) {
                readsUntilCheck = READS_PER_CHECK;
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new TooSlow();
                }
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new DeadlineText(text.subSequence(start, end), deadlineNanos);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
