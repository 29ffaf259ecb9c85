package dev.cleanroom.junit5;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.spi.CleanroomException;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link Cleanroom}: finds or starts the services of the class's files once
 * per class (see {@link ServiceLookup} for the order), injects {@link CleanroomService} parameters
 * and fields, and removes after the class what it started.
 */
public final class CleanroomExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

    /** As the Maven plugin's parameter of that name: where cleanroom:start wrote the exported properties. */
    static final String PROPERTIES_FILE_PROPERTY = "cleanroom.propertiesFile";

    static final Path DEFAULT_PROPERTIES_FILE = Path.of("target", "cleanroom", "cleanroom.properties");
    /** Written next to the properties file by cleanroom:start: each file's run id, by the file's real path. */
    static final String RUNS_FILE_NAME = "cleanroom-runs.properties";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(CleanroomExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ClassServices services = servicesOf(context);
        injectFields(context.getRequiredTestClass(), null, services);
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws Exception {
        // With @TestInstance(PER_CLASS) this comes before beforeAll: the first of the two finds the services.
        injectFields(testInstance.getClass(), testInstance, servicesOf(context));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(CleanroomService.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String name =
                parameter.findAnnotation(CleanroomService.class).orElseThrow().value();
        if (parameter.getParameter().getType() != ServiceEndpoint.class) {
            throw new ParameterResolutionException("@CleanroomService(\"" + name + "\") is on the parameter "
                    + parameter.getParameter().getName() + " of type "
                    + parameter.getParameter().getType().getName()
                    + " in " + parameter.getDeclaringExecutable() + "; it injects a " + ServiceEndpoint.class.getName()
                    + ". Perhaps you should change the parameter's type.");
        }
        try {
            return servicesOf(context).get(name);
        } catch (Exception e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    /**
     * The services of the class {@code context} is about, found or started at the first call; a
     * {@code @Nested} class without its own {@link Cleanroom} gets its enclosing class's.
     */
    private ClassServices servicesOf(ExtensionContext context) throws Exception {
        for (Optional<ExtensionContext> current = Optional.of(context);
                current.isPresent();
                current = current.get().getParent()) {
            ExtensionContext candidate = current.get();
            Optional<Class<?>> testClass = candidate.getTestClass();
            if (testClass.isEmpty() || candidate.getTestMethod().isPresent()) {
                continue;
            }
            Optional<Cleanroom> files = AnnotationSupport.findAnnotation(testClass.get(), Cleanroom.class);
            if (files.isPresent()) {
                return servicesOf(candidate, testClass.get(), files.get());
            }
        }
        throw new ExtensionConfigurationException(context.getRequiredTestClass().getName() + " uses the Cleanroom "
                + "extension without @Cleanroom naming its files. Perhaps you should annotate it with "
                + "@Cleanroom(\"src/test/cleanroom/<name>.clnrm.toml\").");
    }

    private ClassServices servicesOf(ExtensionContext classContext, Class<?> testClass, Cleanroom files)
            throws Exception {
        ExtensionContext.Store store = classContext.getStore(NAMESPACE);
        try {
            return store.getOrComputeIfAbsent(
                    testClass,
                    key -> {
                        try {
                            return find(
                                    testClass,
                                    files.value(),
                                    Path.of("").toAbsolutePath(),
                                    ConsoleLog.standardOutput());
                        } catch (Exception e) {
                            throw new FindFailure(e);
                        }
                    },
                    ClassServices.class);
        } catch (FindFailure e) {
            throw e.failure;
        }
    }

    /** Carries a checked failure out of the store's compute function. */
    private static final class FindFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final Exception failure;

        FindFailure(Exception failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    /**
     * The engine that starts a class's services: reuse as the build would have it
     * ({@code -Dcleanroom.reuse}, else {@code reuse} under the file's {@code [meta]}, off in CI), its
     * files named by their path from the project's base directory. The project is the base directory,
     * not Maven's coordinates, which the test JVM does not know: the IDE and Maven reuse services
     * each for itself.
     */
    static CleanroomEngine engineFor(Path base, EngineLog log) {
        CleanroomEngine.Builder builder =
                CleanroomEngine.builder().log(log).project(project(base)).projectDirectory(base);
        String reuse = System.getProperty("cleanroom.reuse");
        if (reuse != null && !reuse.isBlank()) {
            builder.reuse(Boolean.parseBoolean(reuse.strip()), "-Dcleanroom.reuse=" + reuse.strip());
        }
        return builder.build();
    }

    /** How the extension's runs are labelled: one project per base directory. */
    static String project(Path base) {
        return "junit5:" + base;
    }

    /**
     * Finds or starts the services of each file; if any of them fails, removes what it started
     * here before failing, since nothing will be stored to close.
     */
    static ClassServices find(Class<?> testClass, String[] fileNames, Path base, EngineLog log) throws Exception {
        try (CleanroomEngine engine = engineFor(base, log)) {
            return find(testClass, fileNames, base, log, engine);
        }
    }

    /** As {@link #find(Class, String[], Path, EngineLog)}, with this engine (tests hand it a fake runtime). */
    static ClassServices find(Class<?> testClass, String[] fileNames, Path base, EngineLog log, CleanroomEngine engine)
            throws Exception {
        List<Path> files = new ArrayList<>();
        for (String fileName : fileNames) {
            files.add(existingFile(testClass, fileName, base));
        }
        if (files.isEmpty()) {
            throw new ExtensionConfigurationException(
                    "@Cleanroom on " + testClass.getName() + " names no file. Perhaps "
                            + "you should write @Cleanroom(\"src/test/cleanroom/<name>.clnrm.toml\").");
        }
        ClassServices services = new ClassServices(testClass.getSimpleName());
        Path propertiesFile = propertiesFile(base);
        Map<String, String> exported = readProperties(propertiesFile);
        Map<String, String> runs = readProperties(propertiesFile.resolveSibling(RUNS_FILE_NAME));
        Map<String, String> systemProperties = asMap(System.getProperties());
        String propertiesFileName = relative(base, propertiesFile);
        try {
            for (Path file : files) {
                String fileName = relative(base, file);
                var loaded = engine.load(file); // every problem of the file at once, with line and key
                List<String> names = loaded.serviceNames();
                ServiceLookup.Outcome outcome = ServiceLookup.find(
                        file.toRealPath(),
                        names,
                        systemProperties,
                        exported,
                        runs,
                        runId -> reaches(engine, runId, log),
                        propertiesFileName);
                if (outcome instanceof ServiceLookup.Exported found) {
                    log.info(fileName + ": used the exported services " + names + " (the cleanroom.<service>.* system "
                            + "properties the build's cleanroom:start set) for " + testClass.getSimpleName()
                            + "; started nothing");
                    services.add(fileName, found.services());
                } else if (outcome instanceof ServiceLookup.LeftRunning found) {
                    log.info(fileName + ": used the services " + names + " of run " + found.runId() + " that "
                            + propertiesFileName + " names (left running by cleanroom:start) for "
                            + testClass.getSimpleName() + "; started nothing");
                    services.add(fileName, found.services());
                } else if (outcome instanceof ServiceLookup.StartThem start) {
                    log.info(fileName + ": starting its services for " + testClass.getSimpleName() + " (" + start.why()
                            + "); they are removed after the class, unless reuse leaves them for the next run");
                    Environment environment = engine.start(loaded);
                    services.started(environment);
                    services.add(fileName, ServiceLookup.endpoints(names, environment.exportedProperties()));
                }
            }
        } catch (Exception | Error e) {
            try {
                services.close();
            } catch (RuntimeException removal) {
                e.addSuppressed(removal);
            }
            throw e;
        }
        return services;
    }

    /**
     * Whether the run a build left is up and this JVM reaches it: in a container the build did not
     * run in (another devcontainer session, an IDE's own container), the run's services are at their
     * addresses on the run's network, which this container joins ({@link CleanroomEngine#reachRun}).
     * A run that cannot be asked about (Docker gone) or joined is not used: the class starts its own
     * services, and the log says why.
     */
    private static boolean reaches(CleanroomEngine engine, String runId, EngineLog log) {
        try {
            return engine.reachRun(runId);
        } catch (CleanroomException e) {
            log.warn("Could not use run " + runId + " that a build left running: " + e.getMessage());
            return false;
        }
    }

    private static Path existingFile(Class<?> testClass, String fileName, Path base) {
        Path file = base.resolve(fileName).normalize();
        if (Files.isRegularFile(file)) {
            return file;
        }
        throw new ExtensionConfigurationException("@Cleanroom on " + testClass.getName() + " names " + fileName
                + ", which does not exist: no file " + file + " (paths are relative to the project's base directory, "
                + "the test JVM's working directory). " + filesThere(base));
    }

    private static String filesThere(Path base) {
        Path directory = base.resolve("src/test/cleanroom");
        if (!Files.isDirectory(directory)) {
            return "There is no src/test/cleanroom in " + base + ".";
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            List<String> found = paths.filter(p -> p.getFileName().toString().endsWith(".clnrm.toml"))
                    .map(p -> relative(base, p))
                    .sorted()
                    .toList();
            return found.isEmpty()
                    ? "There is no *.clnrm.toml under src/test/cleanroom."
                    : "The Cleanroom files there: " + String.join(", ", found) + ".";
        } catch (IOException e) {
            return "";
        }
    }

    private static Path propertiesFile(Path base) {
        String configured = System.getProperty(PROPERTIES_FILE_PROPERTY);
        return base.resolve(
                        configured == null || configured.isBlank()
                                ? DEFAULT_PROPERTIES_FILE
                                : Path.of(configured.strip()))
                .normalize();
    }

    /** The file's properties; empty when it does not exist or cannot be read (then the services start here). */
    static Map<String, String> readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return Map.of();
        }
        return asMap(properties);
    }

    private static Map<String, String> asMap(Properties properties) {
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key)));
        return map;
    }

    private static String relative(Path base, Path file) {
        return file.startsWith(base) ? base.relativize(file).toString() : file.toString();
    }

    /** Static fields when {@code instance} is null, else the instance's; each annotated one must be a ServiceEndpoint. */
    private static void injectFields(Class<?> testClass, Object instance, ClassServices services)
            throws IllegalAccessException {
        boolean statics = instance == null;
        List<Field> fields = AnnotationSupport.findAnnotatedFields(
                testClass, CleanroomService.class, field -> Modifier.isStatic(field.getModifiers()) == statics);
        for (Field field : fields) {
            String name = field.getAnnotation(CleanroomService.class).value();
            if (field.getType() != ServiceEndpoint.class || Modifier.isFinal(field.getModifiers())) {
                throw new ExtensionConfigurationException("@CleanroomService(\"" + name + "\") is on the field "
                        + field.getName() + " of " + testClass.getName() + ", which is "
                        + (Modifier.isFinal(field.getModifiers())
                                ? "final"
                                : "a " + field.getType().getName()) + "; it injects into a non-final "
                        + ServiceEndpoint.class.getSimpleName() + " field. Perhaps you should change the field.");
            }
            field.setAccessible(true);
            field.set(instance, services.get(name));
        }
    }
}
