package dev.cleanroom.plugins.generic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.config.TomlConfigParser;
import dev.cleanroom.engine.internal.ServiceFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code src/test/resources/broken/} is a {@code *.clnrm.toml} a user could
 * plausibly write and must be refused with a ConfigException that says where and what. The
 * expected message fragment is the file's first line, {@code # expect: <fragment>}, or for
 * files that cannot carry a comment (empty, whitespace, not UTF-8) a sidecar
 * {@code <name>.expect}. A few cases too large to keep in the repository are generated here.
 */
class BrokenConfigCorpusTest {

    private static final String EXPECT_PREFIX = "# expect: ";

    /** Problems about the file as a whole: no line to point at and no key. */
    private static final List<String> WHOLE_FILE_MESSAGES =
            List.of("the file is empty", "the file is ", "the file does not exist", "the file cannot be read");

    /** Problems about text that is not a config structure yet: a line, but no key. */
    private static final List<String> KEYLESS_MESSAGES =
            List.of("TOML syntax error: ", "the file is not valid UTF-8", "arrays or tables are nested too deep");

    /** A Java class name or stack frame in a message means an exception leaked unformatted. */
    private static final Pattern STACK_TRACE_STYLE = Pattern.compile(
            "\\tat |\\bat [a-z]\\w*(\\.\\w+)+\\(|\\b(java|javax|org|com|dev)\\.[a-z]\\w*\\.|Exception:|Error:");

    private TomlConfigParser parser;

    @BeforeEach
    void setUp() {
        parser = new TomlConfigParser(ServiceFactory.discover(getClass().getClassLoader()));
    }

    /** One corpus entry: its path, its bytes (null: read the path), what its message must contain. */
    record Case(Path path, byte[] bytes, String expected) {
        @Override
        public String toString() {
            return path.getFileName().toString();
        }
    }

    static Path corpusDirectory() {
        try {
            return Path.of(BrokenConfigCorpusTest.class.getResource("/broken").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(corpusDirectory())) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".clnrm.toml"))
                    .sorted()
                    .toList()) {
                cases.add(new Case(file, null, expectation(file)));
            }
        }
        cases.addAll(generated());
        return cases.stream().map(c -> Arguments.of(c));
    }

    private static String expectation(Path file) throws IOException {
        Path sidecar = file.resolveSibling(file.getFileName() + ".expect");
        if (Files.exists(sidecar)) {
            return Files.readString(sidecar).strip();
        }
        String firstLine = Files.readAllLines(file).get(0);
        if (!firstLine.startsWith(EXPECT_PREFIX)) {
            throw new IllegalStateException(file + " has neither a first line '" + EXPECT_PREFIX + "...' nor a "
                    + file.getFileName() + ".expect file");
        }
        return firstLine.substring(EXPECT_PREFIX.length()).strip();
    }

    /** Cases too big to commit, or that must not exist on disk. */
    private static List<Case> generated() {
        Path dir = corpusDirectory();
        String service = "[services.app]\ntype = \"generic_container\"\nimage = \"alpine:3.20\"\n";
        byte[] oversize = new byte[1024 * 1024 + 10];
        Arrays.fill(oversize, (byte) '#');
        return List.of(
                new Case(
                        dir.resolve("generated-oversize.clnrm.toml"),
                        oversize,
                        "the file is 1048586 bytes; Cleanroom reads at most 1048576"),
                new Case(
                        dir.resolve("generated-huge-string-value.clnrm.toml"),
                        (service + "health.retries = \"" + "9".repeat(100_000) + "\"\n")
                                .getBytes(StandardCharsets.UTF_8),
                        "services.app.health.retries: expected an integer, found a string \"999"),
                new Case(
                        dir.resolve("generated-huge-key.clnrm.toml"),
                        (service + "k".repeat(100_000) + " = 1\n").getBytes(StandardCharsets.UTF_8),
                        "unknown key for type \"generic_container\""),
                new Case(
                        dir.resolve("generated-ten-thousand-services.clnrm.toml"),
                        manyBrokenServices(10_000),
                        "services.s9999.image: missing required key"),
                new Case(dir.resolve("generated-missing-file.clnrm.toml"), null, "the file does not exist"));
    }

    private static byte[] manyBrokenServices(int count) {
        StringBuilder toml = new StringBuilder();
        for (int i = 0; i < count; i++) {
            toml.append("[services.s").append(i).append("]\ntype = \"generic_container\"\n");
        }
        return toml.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void corpusHoldsAtLeastFortyFiles() throws IOException {
        try (Stream<Path> files = Files.list(corpusDirectory())) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".clnrm.toml")))
                    .hasSizeGreaterThanOrEqualTo(40);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    // A guard against hangs (a regex that backtracks for hours, a loop), not a speed check: the margin is
    // for a loaded 2-core machine, where the 10,000-service case took 13 s (and 80 s when a map was
    // copied per service). Speed belongs in a benchmark, not a timed test: see bench/README.md.
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void brokenFileIsRefusedWithAPositionedProblemSayingWhatIsWrong(Case broken) {
        // Act
        Throwable thrown = catchThrowable(() -> parse(broken));

        // Assert
        assertThat(thrown).as("what parsing %s threw (null: it parsed)", broken).isInstanceOf(ConfigException.class);
        ConfigException e = (ConfigException) thrown;
        assertThat(e.getMessage()).as("message").doesNotContainPattern(STACK_TRACE_STYLE);
        assertThat(e.getMessage()).as("message").contains(broken.expected());
        assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> {
            assertThat(problem.position().file()).isEqualTo(broken.path());
            assertThat(problem.toString()).startsWith(broken.path().toString());
            if (startsWithAny(problem.message(), WHOLE_FILE_MESSAGES)) {
                assertThat(problem.keyPath()).as("key of %s", problem).isEmpty();
            } else {
                assertThat(problem.position().line()).as("line of %s", problem).isPositive();
                if (!startsWithAny(problem.message(), KEYLESS_MESSAGES)) {
                    assertThat(problem.keyPath()).as("key of %s", problem).isNotEmpty();
                }
            }
        });
    }

    private void parse(Case c) throws ConfigException {
        if (c.bytes() == null) {
            parser.parse(c.path());
        } else {
            parser.parse(c.path(), c.bytes());
        }
    }

    private static boolean startsWithAny(String text, List<String> prefixes) {
        return prefixes.stream().anyMatch(text::startsWith);
    }

    // --- fuzz -----------------------------------------------------------------------------------

    private static final long SEED = 20_250_117L;
    private static final int ITERATIONS = 2000;

    private static final List<String> VALID = List.of("""
            [meta]
            name = "fuzz"

            [services.app]
            type = "generic_container"
            image = "alpine:3.20"
            command = ["sh", "-c", "sleep infinity"]
            env.MY_VAR = "value"
            ports = ["8080:8080", "0.0.0.0:9090:9090", "[::1]:5353:53/udp"]
            volumes = ["/tmp:/data:ro"]
            aliases = ["api"]
            health.http = "/health"
            health.port = 8080
            health.tcp = 9090
            health.log = 'ready \\d+'
            health.interval = "200ms"
            health.retries = 3

            [services.db]
            type = "generic_container"
            image = "postgres:16"
            depends_on = ["app"]

            [[steps]]
            name = "ping"
            service = "app"
            command = ["echo", "hello"]
            expected_output_regex = "hello"
            """);

    private static final List<String> TOKENS = List.of(
            "ports",
            "volumes",
            "health.tcp",
            "health.http",
            "health.port",
            "health.log",
            "health.retries",
            "health.interval",
            "health.timeout",
            "stop_timeout",
            "image",
            "command",
            "entrypoint",
            "aliases",
            "\"8080\"",
            "\"0\"",
            "\"70000\"",
            "\"[::1]:80:80\"",
            "\"999.1.1.1:80:80\"",
            "\"a:b\"",
            "\":/x\"",
            "\"/tmp:/x:rx\"",
            "\"\\u0000:/x\"",
            "\"(\"",
            "\"0s\"",
            "\"1h\"",
            "-1",
            "0",
            "4294967376",
            "99999999999999",
            "[]",
            "[\"\"]",
            "\"\"",
            "=",
            "\"",
            "[",
            "]",
            "{",
            "}",
            "\n",
            ",",
            ".",
            "meta",
            "[services.x]",
            "[[steps]]",
            "type",
            "depends_on",
            "\u00e9",
            "\u0000");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void mutatedFilesYieldATestFileOrAConfigExceptionOnly() throws IOException {
        // Arrange
        Random random = new Random(SEED);
        List<byte[]> seeds = new ArrayList<>();
        VALID.forEach(v -> seeds.add(v.getBytes(StandardCharsets.UTF_8)));
        // Corpus files that already escape as another throwable fail the corpus test; as seeds they would hide new
        // finds.
        try (Stream<Path> files = Files.list(corpusDirectory())) {
            files.filter(f -> f.getFileName().toString().endsWith(".clnrm.toml"))
                    .sorted()
                    .map(BrokenConfigCorpusTest::read)
                    .filter(this::yieldsOnlyConfigException)
                    .forEach(seeds::add);
        }
        Path path = corpusDirectory().resolve("mutant.clnrm.toml");
        Map<String, String> failures = new LinkedHashMap<>();

        // Act
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                parser.parse(path, input);
            } catch (ConfigException expected) {
                // refused with problems: fine
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
    }

    private boolean yieldsOnlyConfigException(byte[] bytes) {
        try {
            parser.parse(corpusDirectory().resolve("seed.clnrm.toml"), bytes);
            return true;
        } catch (ConfigException expected) {
            return true;
        } catch (Throwable other) {
            return false;
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] bytes = seed;
        for (int round = 1 + random.nextInt(3); round > 0; round--) {
            int at = random.nextInt(bytes.length + 1);
            bytes = switch (random.nextInt(6)) {
                case 0 -> splice(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(16)), new byte[0]);
                case 1 ->
                    splice(
                            bytes,
                            at,
                            at,
                            Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + random.nextInt(60))));
                case 2 -> swap(bytes, random);
                case 3, 4 ->
                    splice(
                            bytes,
                            at,
                            at,
                            TOKENS.get(random.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8));
                default -> {
                    byte[] noise = new byte[1 + random.nextInt(3)];
                    random.nextBytes(noise);
                    yield splice(bytes, at, at, noise);
                }
            };
        }
        return bytes;
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

    private static byte[] splice(byte[] bytes, int from, int to, byte[] replacement) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + replacement.length);
        out.write(bytes, 0, from);
        out.writeBytes(replacement);
        out.write(bytes, to, bytes.length - to);
        return out.toByteArray();
    }
}
