package dev.cleanroom.junit5;

import dev.cleanroom.engine.api.ConsoleText;
import dev.cleanroom.engine.api.EngineLog;
import java.io.PrintStream;

/**
 * The engine's progress on the test JVM's standard output, where Surefire, Failsafe and IDEs show
 * a test's output, a line at a time with a prefix; debug lines only with {@code -Dcleanroom.debug=true}.
 */
final class ConsoleLog implements EngineLog {

    static final String DEBUG_PROPERTY = "cleanroom.debug";

    private final PrintStream out;
    private final boolean debug;

    ConsoleLog(PrintStream out, boolean debug) {
        this.out = out;
        this.debug = debug;
    }

    static ConsoleLog standardOutput() {
        return new ConsoleLog(System.out, Boolean.getBoolean(DEBUG_PROPERTY));
    }

    @Override
    public void info(String message) {
        print("[cleanroom] ", message);
    }

    @Override
    public void warn(String message) {
        print("[cleanroom] WARNING ", message);
    }

    @Override
    public void debug(String message) {
        if (debug) {
            print("[cleanroom] DEBUG ", message);
        }
    }

    private void print(String prefix, String message) {
        ConsoleText.escape(message).lines().forEach(line -> out.println(prefix + line));
    }
}
