package dev.cleanroom.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.config.SchemaOnlyPlugin;
import dev.cleanroom.engine.spi.*;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceFactoryTest {

    /** A second implementation class, so a clash names two different classes. */
    static final class RivalPlugin extends SchemaOnlyPlugin {
        RivalPlugin(String type) {
            super(type, java.util.List.of());
        }
    }

    @Test
    void registeredPluginIsFoundByItsType() {
        SchemaOnlyPlugin box = SchemaOnlyPlugin.box();

        ServiceFactory factory = new ServiceFactory().register(box);

        assertThat(factory.plugin("box")).containsSame(box);
        assertThat(factory.plugin("other")).isEmpty();
    }

    @Test
    void typesAreListedAlphabetically() {
        ServiceFactory factory = new ServiceFactory()
                .register(new SchemaOnlyPlugin("zeta", java.util.List.of()))
                .register(new SchemaOnlyPlugin("alpha", java.util.List.of()))
                .register(new SchemaOnlyPlugin("mid_2", java.util.List.of()));

        assertThat(factory.types()).containsExactly("alpha", "mid_2", "zeta");
        assertThat(factory.plugins()).containsOnlyKeys("alpha", "mid_2", "zeta").isUnmodifiable();
    }

    @Test
    void pluginCanBeRegisteredUnderAnotherType() {
        SchemaOnlyPlugin box = SchemaOnlyPlugin.box();

        ServiceFactory factory = new ServiceFactory().register("crate", box);

        assertThat(factory.types()).containsExactly("crate");
        assertThat(factory.plugin("crate")).containsSame(box);
    }

    @Test
    void secondPluginForATypeIsRefusedNamingBothClasses() {
        ServiceFactory factory = new ServiceFactory().register(new SchemaOnlyPlugin("box", java.util.List.of()));

        assertThatThrownBy(() -> factory.register(new RivalPlugin("box")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Service type \"box\" is provided twice: by dev.cleanroom.engine.config.SchemaOnlyPlugin "
                        + "and by dev.cleanroom.engine.internal.ServiceFactoryTest$RivalPlugin. Remove one of them from the "
                        + "plugin's dependencies, or give one another type.");
    }

    @Test
    void refusedDuplicateLeavesTheFirstPluginInPlace() {
        SchemaOnlyPlugin first = SchemaOnlyPlugin.box();
        ServiceFactory factory = new ServiceFactory().register(first);

        assertThatThrownBy(() -> factory.register(new RivalPlugin("box"))).isInstanceOf(IllegalArgumentException.class);

        assertThat(factory.plugin("box")).containsSame(first);
    }

    @Test
    void registeringTheSameInstanceTwiceIsHarmless() {
        SchemaOnlyPlugin box = SchemaOnlyPlugin.box();

        ServiceFactory factory = new ServiceFactory().register(box).register(box);

        assertThat(factory.types()).containsExactly("box");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Box", "1box", "_box", "my-type", "my type", "box!", "b\u00f6x"})
    void malformedTypeIsRefusedNamingThePluginClass(String type) {
        ServiceFactory factory = new ServiceFactory();

        assertThatThrownBy(() -> factory.register(new RivalPlugin(type)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Service type \"" + type
                        + "\" of dev.cleanroom.engine.internal.ServiceFactoryTest$RivalPlugin is "
                        + "not valid: use lower case letters, digits and underscores, starting with a letter");
        assertThat(factory.types()).isEmpty();
    }

    @Test
    void nullTypeIsRefused() {
        assertThatThrownBy(() -> new ServiceFactory().register(null, SchemaOnlyPlugin.box()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Service type \"null\" of dev.cleanroom.engine.config.SchemaOnlyPlugin is not valid: "
                        + "use lower case letters, digits and underscores, starting with a letter");
    }

    @Test
    void discoverFindsNothingInALoaderWithoutPlugins() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            ServiceFactory factory = ServiceFactory.discover(empty);

            assertThat(factory.types()).isEmpty();
            assertThat(factory.plugins()).isEmpty();
        }
    }
}
