package dev.cleanroom.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyTest {

    @Test
    void aDefaultIsShownAsUsersWriteIt() {
        assertThat(Key.duration("start_timeout")
                        .byDefault(Duration.ofSeconds(60))
                        .defaultText())
                .isEqualTo("60s");
        assertThat(Key.duration("interval").byDefault(Duration.ofMillis(100)).defaultText())
                .isEqualTo("100ms");
        assertThat(Key.integer("port").byDefault(8000L).defaultText()).isEqualTo("8000");
        assertThat(Key.strings("command").byDefault(List.of("sh", "-c")).defaultText())
                .isEqualTo("[\"sh\", \"-c\"]");
        assertThat(Key.string("image").defaultDescribedAs("image default").defaultText())
                .isEqualTo("image default");
        assertThat(Key.string("image").defaultText()).isEmpty();
    }

    @Test
    void aValueOutsideItsRangeIsNamedWithTheRange() {
        Key<Long> port = Key.integer("port").between(1L, 65535L);
        Key<Duration> timeout = Key.duration("timeout").atLeast(Duration.ofMillis(1));
        Key<Long> retries = Key.integer("retries").atMost(10L);

        assertThat(port.rangeProblem(0L)).contains("0 is outside 1..65535");
        assertThat(port.rangeProblem(65535L)).isEmpty();
        assertThat(timeout.rangeProblem(Duration.ZERO)).contains("must be at least 1ms, was 0s");
        assertThat(retries.rangeProblem(11L)).contains("must be at most 10, was 11");
    }

    @Test
    void keysAreImmutableAndKnowWhatTheyAre() {
        Key<String> plain = Key.string("auth.user");
        Key<String> documented = plain.doc("User name").required();
        Key<String> password = Key.secret("auth.pass");

        assertThat(plain.doc()).isEmpty();
        assertThat(plain.isRequired()).isFalse();
        assertThat(documented.doc()).isEqualTo("User name");
        assertThat(documented.isRequired()).isTrue();
        assertThat(password.isSecret()).isTrue();
        assertThat(password.kind()).isEqualTo(Key.Kind.STRING);
    }

    @Test
    void onlyNumbersAndDurationsHaveARangeAndPathsAreLowerSnakeCase() {
        assertThatThrownBy(() -> Key.string("name").atLeast("a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Key name is a string: it has no range");
        assertThatThrownBy(() -> Key.string("Health.Port"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Key path \"Health.Port\" must be dotted lower_snake_case");
    }
}
