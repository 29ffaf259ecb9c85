package dev.cleanroom.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesWhatDockerAnswersIntoMapsAndListsInDocumentOrder() {
        // Arrange: a trimmed `GET /containers/{id}/json`
        String inspect = """
                {"Id":"abc","State":{"Running":true,"ExitCode":0,"OOMKilled":false,"Error":""},
                 "NetworkSettings":{"Ports":{"8080/tcp":[{"HostIp":"127.0.0.1","HostPort":"32768"}],"9090/tcp":null}},
                 "Names":["/clnrm-1-web"],"Size":12345678901,"Ratio":0.5,"Huge":123456789012345678901234567890}
                """;

        // Act
        Map<String, Object> object = Json.object(inspect).orElseThrow();

        // Assert
        assertThat(object.keySet()).containsExactly("Id", "State", "NetworkSettings", "Names", "Size", "Ratio", "Huge");
        assertThat(Json.isTrue(Json.object(object, "State"), "Running")).isTrue();
        assertThat(Json.object(object, "State")).containsEntry("ExitCode", 0).containsEntry("OOMKilled", false);
        assertThat(Json.object(Json.object(object, "NetworkSettings"), "Ports"))
                .containsEntry("9090/tcp", null)
                .containsEntry("8080/tcp", List.of(Map.of("HostIp", "127.0.0.1", "HostPort", "32768")));
        assertThat(object.get("Size")).isEqualTo(12345678901L);
        assertThat(object.get("Ratio")).isEqualTo(0.5);
        assertThat(object.get("Huge")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(Json.object(object, "missing")).isEmpty();
    }

    @Test
    void readsEveryEscape() {
        assertThat(Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20ac\""))
                .isEqualTo("q\" b\\ s/ \b\f\n\r\t é€");
    }

    @Test
    void writesWhatItReads() {
        // Arrange
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "line\n\"quoted\" \\ tab\t \u0001");
        value.put("numbers", List.of(1, -2, 12345678901L, 2.5, new BigInteger("99999999999999999999")));
        value.put("flags", List.of(true, false));
        value.put("nothing", null);
        value.put("empty", Map.of());
        value.put("none", List.of());

        // Act
        String compact = Json.write(value);
        String indented = Json.writeIndented(value);

        // Assert
        assertThat(compact)
                .isEqualTo("{\"text\":\"line\\n\\\"quoted\\\" \\\\ tab\\t \\u0001\","
                        + "\"numbers\":[1,-2,12345678901,2.5,99999999999999999999],\"flags\":[true,false],\"nothing\":null,"
                        + "\"empty\":{},\"none\":[]}");
        assertThat(Json.parse(compact)).isEqualTo(value);
        assertThat(Json.parse(indented)).isEqualTo(value);
        assertThat(indented).startsWith("{\n  \"text\": ").contains("\n  \"numbers\": [\n    1,\n");
    }

    @Test
    void malformedInputSaysWhatAndWhere() {
        assertThatThrownBy(() -> Json.parse("{} x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not valid JSON: unexpected text after the value at offset 3");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,}"))
                .hasMessage("not valid JSON: expected a member name in quotes at offset 7");
        assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessage("not valid JSON: expected ']' at offset 3");
        assertThatThrownBy(() -> Json.parse("\"open")).hasMessage("not valid JSON: unterminated string at offset 5");
        assertThatThrownBy(() -> Json.parse("01"))
                .hasMessage("not valid JSON: unexpected text after the value at offset 1");
        assertThatThrownBy(() -> Json.parse("-")).hasMessage("not valid JSON: expected a digit at offset 1");
        assertThatThrownBy(() -> Json.parse("tru")).hasMessage("not valid JSON: unexpected character 't' at offset 0");
        assertThatThrownBy(() -> Json.parse("")).hasMessage("not valid JSON: unexpected end of input at offset 0");
        assertThatThrownBy(() -> Json.parse("\"a\u0001\""))
                .hasMessage("not valid JSON: control character in a string at offset 2");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deep))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not valid JSON: nested deeper than 512");
        Object nested = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            nested = List.of(nested);
        }
        Object tooDeep = nested;
        assertThatThrownBy(() -> Json.write(tooDeep)).hasMessage("cannot be written as JSON: nested deeper than 512");
    }

    @Test
    void onlyJsonValuesAreWritten() {
        assertThatThrownBy(() -> Json.write(Double.NaN))
                .hasMessage("cannot be written as JSON: NaN is not a JSON number");
        assertThatThrownBy(() -> Json.write(new Object())).hasMessage("cannot be written as JSON: a java.lang.Object");
    }

    @Test
    void objectIsEmptyForAnythingButAnObject() {
        assertThat(Json.object("[1]")).isEmpty();
        assertThat(Json.object("not json")).isEmpty();
        assertThat(Json.object("{\"a\":[1,{\"b\":2},\"c\"]}").map(o -> Json.objects(o, "a")))
                .contains(List.of(Map.of("b", 2)));
    }
}
