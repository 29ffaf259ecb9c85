package dev.cleanroom.plugins.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No state of a run outlives it in the plugin's classes: a run's sessions, sidecar ids and timers
 * live in its Service object, so a start that fails halfway cannot leave any of them behind here.
 */
class ChaosStatelessTest {

    @Test
    void noClassOfThePackageHasAMutableStaticField() throws Exception {
        // Arrange: every class compiled into the package's directory, nested and anonymous ones too
        List<Class<?>> all = classesOfThePackage();

        // Act
        List<String> mutable = new ArrayList<>();
        for (Class<?> type : all) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && !field.isSynthetic()
                        && !field.isEnumConstant()
                        && isMutable(field)) {
                    mutable.add(type.getSimpleName() + "." + field.getName());
                }
            }
        }

        // Assert
        assertThat(all)
                .as("classes inspected")
                .contains(
                        ChaosEnginePlugin.class,
                        ChaosSession.class,
                        ChaosSettings.class,
                        ChaosCommands.class,
                        LatencyProxy.class);
        assertThat(mutable).as("static fields that can hold a run's state").isEmpty();
    }

    private static List<Class<?>> classesOfThePackage() throws Exception {
        Path directory = Path.of(ChaosEnginePlugin.class
                        .getResource("ChaosEnginePlugin.class")
                        .toURI())
                .getParent();
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String simple = file.getFileName().toString().replaceFirst("\\.class$", "");
                classes.add(Class.forName(
                        ChaosEnginePlugin.class.getPackageName() + "." + simple,
                        false,
                        ChaosEnginePlugin.class.getClassLoader()));
            }
        }
        return classes;
    }

    /**
     * Not final, or a final collection or map of a class that may accept changes: only the JDK's
     * unmodifiable ones ({@code List.of}, {@code Collections.unmodifiable...}) are taken as safe.
     * Decided by class, so the probe changes nothing.
     */
    private static boolean isMutable(Field field) throws IllegalAccessException {
        if (!Modifier.isFinal(field.getModifiers())) {
            return true;
        }
        if (!Collection.class.isAssignableFrom(field.getType()) && !Map.class.isAssignableFrom(field.getType())) {
            return false;
        }
        field.setAccessible(true);
        Object value = field.get(null);
        if (value == null) {
            return false;
        }
        String type = value.getClass().getName();
        return !(type.startsWith("java.util.ImmutableCollections$")
                || type.startsWith("java.util.Collections$Unmodifiable")
                || type.startsWith("java.util.Collections$Empty")
                || type.startsWith("java.util.Collections$Singleton"));
    }
}
