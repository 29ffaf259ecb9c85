import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.Environment;
import java.nio.file.Path;

/**
 * One start and stop of a file's services in a fresh JVM, as cleanroom:start cleanroom:stop do
 * without Maven around them; prints the line that says where the daemon was found.
 * Arguments: file, project.
 */
public final class StartStop {

    public static void main(String[] args) throws Exception {
        EngineLog log = new EngineLog() {
            @Override
            public void info(String message) {
            }

            @Override
            public void warn(String message) {
                System.out.println("WARN " + message);
            }

            @Override
            public void debug(String message) {
                if (message.startsWith("Docker daemon at ")) {
                    System.out.println(message);
                }
            }
        };
        CleanroomEngine engine = CleanroomEngine.builder().project(args[1]).log(log).build();
        Environment environment = engine.start(engine.load(Path.of(args[0])));
        environment.stop();
    }
}
