package dev.cleanroom.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "250ms, PT0.25S",
        "5s, PT5S",
        "2m, PT2M",
        "1h, PT1H",
        "0s, PT0S",
        "' 5 s ', PT5S",
        "999999999h, PT999999999H"
    })
    void acceptsAnIntegerWithAUnit(String text, Duration expected) {
        assertThat(Durations.parse(text)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "s", "-1s", "1.5s", "5S", "5 sec", "1d", "1000000000s", "5s5", "PT5S", "1m30s"})
    void refusesEverythingElse(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @Test
    void formatsShortDurationsInMilliseconds() {
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0 ms");
        assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(Durations.format(Duration.ofMillis(999))).isEqualTo("999 ms");
    }

    @Test
    void formatsSecondsWithOneDecimal() {
        assertThat(Durations.format(Duration.ofMillis(1000))).isEqualTo("1.0 s");
        assertThat(Durations.format(Duration.ofMillis(1234))).isEqualTo("1.2 s");
        assertThat(Durations.format(Duration.ofMillis(59_900))).isEqualTo("59.9 s");
    }

    @Test
    void formatsMinutesAndSeconds() {
        assertThat(Durations.format(Duration.ofMinutes(1))).isEqualTo("1 min 0 s");
        assertThat(Durations.format(Duration.ofSeconds(185))).isEqualTo("3 min 5 s");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("120 min 0 s");
    }

    @ParameterizedTest
    @CsvSource({
        "PT0.1S, 100ms",
        "PT1.5S, 1500ms",
        "PT0S, 0s",
        "PT60S, 60s",
        "PT2M, 2m",
        "PT90S, 90s",
        "PT1H, 1h",
        "PT61M, 61m"
    })
    void tomlFormIsWhatUsersWriteAndParsesBack(String iso, String toml) {
        Duration duration = Duration.parse(iso);

        assertThat(Durations.toToml(duration)).isEqualTo(toml);
        assertThat(Durations.parse(toml)).contains(duration);
    }
}
