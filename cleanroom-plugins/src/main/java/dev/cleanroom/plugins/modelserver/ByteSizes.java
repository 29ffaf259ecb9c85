package dev.cleanroom.plugins.modelserver;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as Docker writes them ("1g", "512m") and as people read them ("3.8 GB"). */
public final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*([bkmg]?)b?", Pattern.CASE_INSENSITIVE);

    private ByteSizes() {}

    /** "8g", "512m", "1024k", "65536" (bytes); the units are powers of 1024, as for docker run --shm-size. */
    public static Optional<Long> parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (amount > (Long.MAX_VALUE >> shift)) {
            return Optional.empty();
        }
        return Optional.of(amount << shift);
    }

    /** Decimal units, as Ollama and download tools show them: "950 B", "45.9 MB", "3.8 GB". */
    public static String format(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
