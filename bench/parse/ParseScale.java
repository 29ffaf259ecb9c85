import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.config.TomlConfigParser;
import dev.cleanroom.engine.internal.ServiceFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * How parsing time grows with the number of services (a map copied once per service made it
 * quadratic once): files of N generic_container services with a missing image, each parsed (and
 * refused) best of 3 after a warm-up, in one JVM. Run by bench/parse-scale.sh.
 */
public final class ParseScale {
    public static void main(String[] args) throws Exception {
        TomlConfigParser parser = new TomlConfigParser(ServiceFactory.discover(ParseScale.class.getClassLoader()));
        int[] sizes = {1_000, 5_000, 10_000, 20_000};
        parse(parser, file(sizes[sizes.length - 1])); // warm-up
        long previous = 0;
        for (int size : sizes) {
            byte[] toml = file(size);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                best = Math.min(best, parse(parser, toml));
            }
            System.out.printf("%6d services: %6.0f ms  (%.2f us per service)%s%n", size, best / 1e6,
                    best / 1e3 / size, previous == 0 ? "" : String.format("  x%.1f the previous size's time", (double) best / previous));
            previous = best;
        }
    }

    static byte[] file(int count) {
        StringBuilder toml = new StringBuilder();
        for (int i = 0; i < count; i++) {
            toml.append("[services.s").append(i).append("]\ntype = \"generic_container\"\n");
        }
        return toml.toString().getBytes(StandardCharsets.UTF_8);
    }

    static long parse(TomlConfigParser parser, byte[] toml) {
        long begin = System.nanoTime();
        try {
            parser.parse(Path.of("scale.clnrm.toml"), toml);
            throw new IllegalStateException("expected problems: every service lacks its image");
        } catch (ConfigException expected) {
            return System.nanoTime() - begin;
        }
    }
}
