import java.util.List;
import java.util.Map;

/**
 * One JVM, one library, the JSON work a model-server plugin does in a build: read Ollama's
 * model list and a pull-progress line, write a request body. Prints the nanoseconds that work
 * took from the first call, class loading included, which is what a build pays (the figure
 * issue #16 asks for before choosing between the spi's Json and jackson-jr).
 */
public final class JsonStartup {

    static final String TAGS = "{\"models\":[{\"name\":\"qwen3:0.6b\",\"model\":\"qwen3:0.6b\",\"size\":522653767,"
            + "\"digest\":\"7df6b6e09427\",\"details\":{\"format\":\"gguf\",\"family\":\"qwen3\","
            + "\"parameter_size\":\"751.63M\",\"quantization_level\":\"Q4_K_M\"}}]}";
    static final String PROGRESS = "{\"status\":\"pulling 7f4030143c1c\",\"digest\":\"sha256:7f40\",\"total\":522649024,"
            + "\"completed\":104857600}";

    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        String out;
        if (args[0].equals("spi")) {
            Map<String, Object> tags = dev.cleanroom.engine.spi.Json.object(TAGS).orElseThrow();
            String name = dev.cleanroom.engine.spi.Json.string(dev.cleanroom.engine.spi.Json.objects(tags, "models").get(0),
                    "name").orElseThrow();
            Map<String, Object> progress = dev.cleanroom.engine.spi.Json.object(PROGRESS).orElseThrow();
            long done = dev.cleanroom.engine.spi.Json.number(progress, "completed").orElseThrow();
            out = dev.cleanroom.engine.spi.Json.write(Map.of("model", name, "stream", true, "done", done));
        } else {
            com.fasterxml.jackson.jr.ob.JSON json = com.fasterxml.jackson.jr.ob.JSON.std;
            Map<String, Object> tags = json.mapFrom(TAGS);
            @SuppressWarnings("unchecked")
            String name = (String) ((List<Map<String, Object>>) tags.get("models")).get(0).get("name");
            Map<String, Object> progress = json.mapFrom(PROGRESS);
            long done = ((Number) progress.get("completed")).longValue();
            out = json.asString(Map.of("model", name, "stream", true, "done", done));
        }
        long took = System.nanoTime() - begin;
        if (out.isEmpty()) {
            throw new IllegalStateException();
        }
        System.out.println(took);
    }
}
