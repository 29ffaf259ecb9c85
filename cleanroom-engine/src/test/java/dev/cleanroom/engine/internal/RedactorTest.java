package dev.cleanroom.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the Redactor masks when it knows no secret by name. */
class RedactorTest {

    private final Redactor redactor = new Redactor(Set.of());

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "postgres://app:pw@db/x | postgres://app:****@db/x",
                "DATABASE_URL=jdbc:postgresql://app:s3cr3t@db:5432/x?ssl=true | DATABASE_URL=jdbc:postgresql://app:****@db:5432/x?ssl=true",
                "redis://:pw@cache:6379 | redis://:****@cache:6379",
                "two: amqp://u:a@h and http://v:b@i/ | two: amqp://u:****@h and http://v:****@i/",
            })
    void passwordOfAnyUrlWithUserinfoIsMasked(String text, String shown) {
        assertThat(redactor.apply(text)).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "http://127.0.0.1:8080/health",
                "https://user@host/path",
                "ssh git@github.com:org/repo.git",
                "mailto:someone@example.com",
            })
    void urlsWithoutAPasswordAreLeftAsTheyAre(String text) {
        assertThat(redactor.apply(text)).isEqualTo(text);
    }
}
