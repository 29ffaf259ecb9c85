package dev.cleanroom.plugins.lifecycle;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.Environment;
import java.nio.file.Path;

/**
 * A stand-in for a Maven build, run in its own JVM by the signal tests: starts the services of
 * a file, prints READY, optionally runs its steps (third argument "steps"), and waits to be
 * killed. Arguments: file, project[, steps].
 */
public final class StartAndWait {

    private StartAndWait() {}

    public static void main(String[] args) throws Exception {
        EngineLog log = new EngineLog() {
            @Override
            public void info(String message) {
                System.out.println("INFO " + message);
            }

            @Override
            public void warn(String message) {
                System.out.println("WARN " + message);
            }

            @Override
            public void debug(String message) {}
        };
        CleanroomEngine engine =
                CleanroomEngine.builder().project(args[1]).log(log).build();
        System.out.println("STARTING");
        Environment environment = engine.start(engine.load(Path.of(args[0])));
        System.out.println("READY " + environment.runId());
        if (args.length > 2 && args[2].equals("steps")) {
            System.out.println("STEPS");
            environment.runSteps();
        }
        if (args.length > 2 && args[2].equals("stop")) {
            System.out.println("STOPPING");
            environment.stop();
            System.out.println("STOPPED");
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
