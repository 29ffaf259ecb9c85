package dev.cleanroom.maven;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's public surface (issue #16): adapters such as this Maven plugin use only
 * {@code dev.cleanroom.engine.api}, plugins only {@code dev.cleanroom.engine.spi}; every other engine
 * package is internal and may change at any time. Lives here because this module's tests see the
 * main classes of all three modules (engine, plugins, Maven plugin).
 */
class PublicSurfaceTest {

    private static final String ENGINE = "dev.cleanroom.engine..";
    private static final String API = "dev.cleanroom.engine.api..";
    private static final String SPI = "dev.cleanroom.engine.spi..";
    private static final String[] INTERNAL = {
        "dev.cleanroom.engine.config..", "dev.cleanroom.engine.internal..", "dev.cleanroom.engine.report.."
    };
    private static final String PLUGINS = "dev.cleanroom.plugins..";
    private static final String MAVEN_PLUGIN = "dev.cleanroom.maven..";

    /** Main code only: tests may use whatever they need, test-jars included. */
    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cleanroom");

    @Test
    void theRulesSeeTheMainClassesOfAllThreeModules() {
        // A rule over no classes passes; this one fails when the import finds nothing to check.
        assertThat(MAIN_CLASSES.containPackage("dev.cleanroom.engine.api")).isTrue();
        assertThat(MAIN_CLASSES.containPackage("dev.cleanroom.engine.internal")).isTrue();
        assertThat(MAIN_CLASSES.containPackage("dev.cleanroom.plugins.generic")).isTrue();
        assertThat(MAIN_CLASSES.contain(RunMojo.class)).isTrue();
        assertThat(MAIN_CLASSES.contain(PublicSurfaceTest.class)).isFalse();
    }

    @Test
    void codeOutsideTheEngineUsesOnlyItsApiAndSpi() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackage(ENGINE)
                // Plugins have the stricter rule of their own below (spi only).
                .and()
                .resideOutsideOfPackage(PLUGINS)
                .should()
                .dependOnClassesThat(resideInAPackage(ENGINE).and(not(resideInAnyPackage(API, SPI))))
                .because("only dev.cleanroom.engine.api and .spi are exported; the rest changes without notice");

        rule.check(MAIN_CLASSES);
    }

    /**
     * The Maven plugin is an adapter: api only. It may name spi.CleanroomException, which the api's
     * methods declare (an adapter catches what they throw), and nothing else of the spi.
     */
    @Test
    void theMavenPluginUsesOnlyTheApi() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage(MAVEN_PLUGIN)
                .should()
                .dependOnClassesThat(resideInAPackage(ENGINE)
                        .and(not(resideInAPackage(API)))
                        .and(not(
                                DescribedPredicate.equalTo(cleanroomException()).as("CleanroomException"))))
                .because("adapters import only dev.cleanroom.engine.api (issue #16)");

        rule.check(MAIN_CLASSES);
    }

    @Test
    void pluginsUseOnlyTheSpi() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage(PLUGINS)
                .should()
                .dependOnClassesThat(resideInAPackage(ENGINE).and(not(resideInAPackage(SPI))))
                .because("plugin authors import only dev.cleanroom.engine.spi (issue #16)");

        rule.check(MAIN_CLASSES);
    }

    @Test
    void publicSignaturesOfApiAndSpiNameNoInternalType() {
        ArchRule rule = classes()
                .that()
                .resideInAnyPackage(API, SPI)
                .and(reachableFromOutside())
                .should(nameInTheirPublicSignatures(INTERNAL))
                .because("a type of an internal package in the api or spi would make it part of the contract");

        rule.check(MAIN_CLASSES);
    }

    @Test
    void theSpiDependsOnNoOtherEnginePackage() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage(SPI)
                .should(dependOnNoEngineClassOutside("dev.cleanroom.engine.spi"))
                .because("plugins compile against the spi alone (issue #16)");

        rule.check(MAIN_CLASSES);
    }

    @Test
    void pluginsHoldNoStaticMutableState() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage(PLUGINS)
                .should(holdNoStaticMutableState())
                .because("one plugin object serves every build of a JVM (mvnd, an IDE): a run's state lives in "
                        + "its Service, so nothing of an aborted run stays behind (issue #16)");

        rule.check(MAIN_CLASSES);
    }

    /**
     * No static field that is not final, and no static final field whose value can change: an array,
     * an atomic, or a collection or map that accepts changes (List.of, Map.of and unmodifiable views
     * are fine; the value is read to tell). Immutable values (strings, patterns, records, keys) are fine.
     */
    private static ArchCondition<JavaClass> holdNoStaticMutableState() {
        return new ArchCondition<>("hold no static mutable state") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (JavaField field : javaClass.getFields()) {
                    if (!field.getModifiers().contains(JavaModifier.STATIC)
                            || field.getName().startsWith("$")) {
                        continue; // $VALUES and the like are the compiler's
                    }
                    whyMutable(field)
                            .ifPresent(why -> events.add(SimpleConditionEvent.violated(
                                    field, field.getFullName() + " is static and " + why)));
                }
            }
        };
    }

    private static java.util.Optional<String> whyMutable(JavaField field) {
        if (!field.getModifiers().contains(JavaModifier.FINAL)) {
            return java.util.Optional.of("not final");
        }
        JavaClass type = field.getRawType();
        if (type.isArray() || type.getPackageName().equals("java.util.concurrent.atomic")) {
            return java.util.Optional.of("of the mutable type " + type.getName());
        }
        if (!type.isAssignableTo(java.util.Collection.class) && !type.isAssignableTo(java.util.Map.class)) {
            return java.util.Optional.empty();
        }
        try {
            java.lang.reflect.Field reflected = field.reflect();
            reflected.setAccessible(true);
            Object value = reflected.get(null);
            String implementation = value == null ? "" : value.getClass().getName();
            boolean unmodifiable = value == null
                    || implementation.startsWith("java.util.ImmutableCollections$")
                    || implementation.startsWith("java.util.Collections$Unmodifiable")
                    || implementation.startsWith("java.util.Collections$Empty")
                    || implementation.startsWith("java.util.Collections$Singleton");
            return unmodifiable
                    ? java.util.Optional.empty()
                    : java.util.Optional.of("holds a changeable " + implementation);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return java.util.Optional.of("could not be read to check it is unmodifiable: " + e);
        }
    }

    private static JavaClass cleanroomException() {
        return MAIN_CLASSES.get("dev.cleanroom.engine.spi.CleanroomException");
    }

    /** Public, and so is every class it is nested in. */
    private static DescribedPredicate<JavaClass> reachableFromOutside() {
        return DescribedPredicate.describe("are public (nested ones in public classes)", javaClass -> {
            for (JavaClass c = javaClass; c != null; c = c.getEnclosingClass().orElse(null)) {
                if (!c.getModifiers().contains(JavaModifier.PUBLIC)) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Inverted by its name: the condition holds when the public and protected members (field types,
     * parameters, return types, exceptions thrown, with their type arguments) and the supertypes name
     * no class of the given packages.
     */
    private static ArchCondition<JavaClass> nameInTheirPublicSignatures(String... forbiddenPackages) {
        DescribedPredicate<JavaClass> forbidden = resideInAnyPackage(forbiddenPackages);
        return new ArchCondition<>(
                "name no type of " + String.join(", ", forbiddenPackages) + " in public signatures") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                List<String> named = new ArrayList<>();
                javaClass.getSuperclass().ifPresent(s -> collect(s, "extends", forbidden, named));
                javaClass.getInterfaces().forEach(i -> collect(i, "implements", forbidden, named));
                for (JavaMember member : javaClass.getMembers()) {
                    if (!member.getModifiers().contains(JavaModifier.PUBLIC)
                            && !member.getModifiers().contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    String where = member.getDescription();
                    if (member instanceof JavaField field) {
                        collect(field.getType(), where, forbidden, named);
                    }
                    if (member instanceof JavaCodeUnit codeUnit) {
                        codeUnit.getParameterTypes().forEach(p -> collect(p, where, forbidden, named));
                        codeUnit.getThrowsClause().getTypes().forEach(t -> collect(t, where, forbidden, named));
                    }
                    if (member instanceof JavaMethod method) {
                        collect(method.getReturnType(), where, forbidden, named);
                    }
                }
                named.forEach(text -> events.add(SimpleConditionEvent.violated(javaClass, text)));
            }
        };
    }

    private static void collect(
            JavaType type, String where, DescribedPredicate<JavaClass> forbidden, List<String> named) {
        type.getAllInvolvedRawTypes().stream()
                .filter(forbidden)
                .forEach(c -> named.add(where + " names " + c.getName()));
    }

    private static ArchCondition<JavaClass> dependOnNoEngineClassOutside(String ownPackage) {
        return new ArchCondition<>("depend on no engine class outside " + ownPackage) {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass().getBaseComponentType();
                    boolean engine = target.getPackageName().startsWith("dev.cleanroom.engine");
                    boolean own = target.getPackageName().equals(ownPackage)
                            || target.getPackageName().startsWith(ownPackage + ".");
                    if (engine && !own) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }
}
