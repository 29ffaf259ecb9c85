package dev.cleanroom.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.spi.Key;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {

    private static final ConfigKey IMAGE = ConfigKey.required("image", Key.Kind.STRING, "Image");
    private static final ConfigKey USER = ConfigKey.optional("auth.user", Key.Kind.STRING, "root", "User");
    private static final ConfigKey PASS = ConfigKey.secret("auth.pass", "Password");

    @Test
    void keysKeepDeclarationOrder() {
        ConfigSchema schema = ConfigSchema.of(IMAGE, USER, PASS);

        assertThat(schema.keys()).containsExactly(IMAGE, USER, PASS);
    }

    @Test
    void keyLooksUpByDottedPath() {
        ConfigSchema schema = ConfigSchema.of(IMAGE, USER);

        assertThat(schema.key("auth.user")).contains(USER);
        assertThat(schema.key("auth")).isEmpty();
        assertThat(schema.key("nope")).isEmpty();
    }

    @Test
    void keyDeclaredTwiceIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> ConfigSchema.of(IMAGE, ConfigKey.optional("image", Key.Kind.INTEGER, "", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Key declared twice in a schema: image");
    }

    @Test
    void withAddsKeysAndLeavesTheOriginalAlone() {
        ConfigSchema base = ConfigSchema.of(IMAGE);

        ConfigSchema extended = base.with(USER, PASS);

        assertThat(extended.keys()).containsExactly(IMAGE, USER, PASS);
        assertThat(base.keys()).containsExactly(IMAGE);
    }

    @Test
    void withRefusesAKeyTheBaseAlreadyHas() {
        ConfigSchema base = ConfigSchema.of(IMAGE);

        assertThatThrownBy(() -> base.with(IMAGE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Key declared twice in a schema: image");
    }

    @Test
    void tablePrefixIsAProperPrefixEndingAtADot() {
        ConfigSchema schema = ConfigSchema.of(IMAGE, USER, PASS);

        assertThat(schema.isTablePrefix("auth")).isTrue();
        assertThat(schema.isTablePrefix("auth.user")).isFalse();
        assertThat(schema.isTablePrefix("aut")).isFalse();
        assertThat(schema.isTablePrefix("image")).isFalse();
    }

    @Test
    void emptySchemaHasNoKeys() {
        assertThat(ConfigSchema.of().keys()).isEmpty();
        assertThat(ConfigSchema.of().isTablePrefix("")).isFalse();
    }

    @Test
    void keyFactoriesSetRequiredAndSecret() {
        assertThat(IMAGE.required()).isTrue();
        assertThat(IMAGE.secret()).isFalse();
        assertThat(USER.required()).isFalse();
        assertThat(USER.defaultValue()).isEqualTo("root");
        assertThat(PASS.secret()).isTrue();
        assertThat(PASS.type()).isEqualTo(Key.Kind.STRING);
        assertThat(new ConfigKey("x", Key.Kind.INTEGER, null, null, false, false))
                .satisfies(k -> {
                    assertThat(k.description()).isEmpty();
                    assertThat(k.defaultValue()).isEmpty();
                });
    }
}
