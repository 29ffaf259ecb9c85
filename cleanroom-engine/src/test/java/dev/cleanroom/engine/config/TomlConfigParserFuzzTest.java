package dev.cleanroom.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.ConfigException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: whatever bytes a user saves, the parser answers with a TestFile or a
 * ConfigException, never another throwable. Inputs are valid files mutated by a seeded Random,
 * so a failure reproduces exactly.
 */
class TomlConfigParserFuzzTest {

    private static final long SEED = 0x5EED_C1EA_4B00L;
    private static final int ITERATIONS = 2000;

    private static final List<String> SEEDS = List.of("""
            [meta]
            name = "orders"
            description = "fuzz seed"

            [services.web]
            type = "box"
            image = "nginx:1.27"
            depends_on = ["db"]
            count = 2
            enabled = true
            ratio = 0.5
            wait = "1500ms"
            command = ["nginx", "-g", "daemon off;"]
            env.MODE = "test"

            [services.db]
            plugin = "box"
            image = "postgres:16"

            [services.db.auth]
            user = "root"
            pass = "s3cret"

            [[steps]]
            name = "ping"
            service = "web"
            command = ["curl", "-fsS", "http://localhost/"]
            expected_output_regex = '^ok\\s*$'
            expected_exit_code = 7
            timeout = "2m"
            continue_on_failure = true
            env = { LANG = "C" }
            workdir = "/srv"
            """, """
            [services.app]
            type = "box"
            image = "alpine"

            [[steps]]
            name = "echo"
            command = ["echo", "hello"]
            """, """
            services = { a = { type = "empty" }, b = { type = "box", image = "x", depends_on = ["a"] } }
            steps = [ { name = "s", service = "b", command = ["true"] } ]
            """);

    /** Fragments that are likely to reach deeper rules than random bytes do. */
    private static final List<String> TOKENS = List.of(
            "type",
            "plugin",
            "image",
            "depends_on",
            "services",
            "steps",
            "meta",
            "name",
            "service",
            "command",
            "timeout",
            "expected_exit_code",
            "expected_output_regex",
            "continue_on_failure",
            "env",
            "workdir",
            "auth",
            "auth.user",
            "count",
            "ratio",
            "wait",
            "[services.x]",
            "[[steps]]",
            "[meta]",
            "[services]",
            "=",
            " = ",
            "\"",
            "'",
            "'''",
            "\"\"\"",
            "[",
            "]",
            "{",
            "}",
            ",",
            ".",
            "#",
            "\n",
            "\r\n",
            "\t",
            "\\",
            "\\u00e9",
            "\\uD800",
            "0",
            "-1",
            "256",
            "99999999999999",
            "1e999",
            "nan",
            "inf",
            "true",
            "false",
            "1979-05-27T07:32:00Z",
            "07:32:00",
            "0x7F",
            "0b2",
            "1_000",
            "\"5s\"",
            "\"0s\"",
            "\"a(b\"",
            "\"[\"",
            "[\"a\", 1]",
            "[]",
            "{}",
            "\"echo hi\"",
            "x = 1\n",
            "\"\"",
            "\"web\"",
            "\"db\"",
            "\u00e9",
            "\u0000");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void mutatedFilesYieldATestFileOrAConfigExceptionOnly() {
        // Arrange
        Random random = new Random(SEED);
        TomlConfigParser parser = ParserFixture.parser();
        Map<String, String> failures = new LinkedHashMap<>();
        int parsed = 0;
        int refused = 0;

        // Act
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(SEEDS.get(random.nextInt(SEEDS.size())).getBytes(StandardCharsets.UTF_8), random);
            try {
                parser.parse(ParserFixture.FILE, input);
                parsed++;
            } catch (ConfigException e) {
                refused++;
                assertThat(e.problems()).as("problems of iteration %d", i).isNotEmpty();
            } catch (Throwable t) {
                failures.putIfAbsent(
                        t.getClass().getName() + ": " + t.getMessage(),
                        "iteration " + i + ", input:\n" + new String(input, StandardCharsets.UTF_8));
            }
        }

        // Assert
        assertThat(failures)
                .as("throwables other than ConfigException, one example each")
                .isEmpty();
        assertThat(parsed).as("some mutants still parse").isPositive();
        assertThat(refused).as("most mutants are refused").isGreaterThan(ITERATIONS / 2);
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] bytes = seed;
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            bytes = switch (random.nextInt(7)) {
                case 0 -> delete(bytes, random);
                case 1 -> duplicate(bytes, random);
                case 2 -> swap(bytes, random);
                case 3, 4 ->
                    insert(
                            bytes,
                            random,
                            TOKENS.get(random.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8));
                case 5 -> insert(bytes, random, randomBytes(random));
                default -> truncate(bytes, random);
            };
        }
        return bytes;
    }

    private static byte[] delete(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return bytes;
        }
        int from = random.nextInt(bytes.length);
        int length = 1 + random.nextInt(Math.min(20, bytes.length - from));
        return splice(bytes, from, from + length, new byte[0]);
    }

    private static byte[] duplicate(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return bytes;
        }
        int from = random.nextInt(bytes.length);
        int to = Math.min(bytes.length, from + 1 + random.nextInt(80));
        byte[] copy = java.util.Arrays.copyOfRange(bytes, from, to);
        return splice(bytes, to, to, copy);
    }

    private static byte[] swap(byte[] bytes, Random random) {
        if (bytes.length < 2) {
            return bytes;
        }
        byte[] copy = bytes.clone();
        int a = random.nextInt(copy.length);
        int b = random.nextInt(copy.length);
        byte t = copy[a];
        copy[a] = copy[b];
        copy[b] = t;
        return copy;
    }

    private static byte[] insert(byte[] bytes, Random random, byte[] what) {
        int at = random.nextInt(bytes.length + 1);
        return splice(bytes, at, at, what);
    }

    private static byte[] truncate(byte[] bytes, Random random) {
        return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
    }

    private static byte[] randomBytes(Random random) {
        byte[] noise = new byte[1 + random.nextInt(4)];
        random.nextBytes(noise);
        return noise;
    }

    private static byte[] splice(byte[] bytes, int from, int to, byte[] replacement) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + replacement.length);
        out.write(bytes, 0, from);
        out.writeBytes(replacement);
        out.write(bytes, to, bytes.length - to);
        return out.toByteArray();
    }
}
