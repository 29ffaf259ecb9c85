package dev.cleanroom.plugins.surrealdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.spi.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Finding the statements of a .surql file (to show the one SurrealDB rejects), and the JSON the plugin reads. */
class SurrealDbStatementsTest {

    @Test
    void statementsAreSplitAtTopLevelSemicolonsOnly() {
        // Arrange
        String surql = """
                -- people; with a comment
                DEFINE TABLE person SCHEMAFULL;
                DEFINE FIELD name ON person TYPE string;   /* a block; comment */
                CREATE person:one SET name = 'semi;colon', note = "x;y";
                DEFINE FUNCTION fn::two() { LET $a = 1; RETURN $a + 1; };
                # trailing comment;
                SELECT * FROM person
                """;

        // Act
        List<String> statements = SurqlStatements.split(surql);

        // Assert
        assertThat(statements)
                .containsExactly(
                        "DEFINE TABLE person SCHEMAFULL",
                        "DEFINE FIELD name ON person TYPE string",
                        "CREATE person:one SET name = 'semi;colon', note = \"x;y\"",
                        "DEFINE FUNCTION fn::two() { LET $a = 1; RETURN $a + 1; }",
                        "SELECT * FROM person");
    }

    @Test
    void emptyStatementsAndCommentsOnlyAreNotCounted() {
        // Act
        List<String> statements = SurqlStatements.split(";;\n-- nothing\n  ;");

        // Assert
        assertThat(statements).isEmpty();
    }

    @Test
    void sqlAnswerIsParsedWithNestedResultsAndEscapes() {
        // Arrange
        String body = "[{\"status\":\"OK\",\"time\":\"1ms\",\"result\":[{\"id\":\"person:one\",\"n\":2.5,\"ok\":true,"
                + "\"none\":null}]},{\"status\":\"ERR\",\"time\":\"1µs\",\"result\":\"The table 'x' does not exist \\u2013 \\\"q\\\"\"}]";

        // Act
        Object parsed = Json.parse(body);

        // Assert
        assertThat(parsed).isInstanceOf(List.class);
        assertThat((List<?>) parsed).hasSize(2);
        @SuppressWarnings("unchecked")
        Map<String, Object> ok = (Map<String, Object>) ((List<?>) parsed).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) ((List<?>) ok.get("result")).get(0);
        assertThat(ok.get("status")).isEqualTo("OK");
        assertThat(record)
                .containsEntry("id", "person:one")
                .containsEntry("n", 2.5)
                .containsEntry("ok", true)
                .containsEntry("none", null);
        assertThat(((List<?>) parsed).get(1))
                .isEqualTo(
                        Map.of("status", "ERR", "time", "1µs", "result", "The table 'x' does not exist \u2013 \"q\""));
    }

    @Test
    void quotedStringsRoundTrip() {
        // Arrange
        String value = "pa\"ss\\word\n\u0001";

        // Act
        Object parsed = Json.parse(Json.quote(value));

        // Assert
        assertThat(parsed).isEqualTo(value);
    }
}
