package dev.cleanroom.engine.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for environment variables written in a file ({@code env.NAME = "value"} of a service
 * or a step): a name is not empty and has no {@code '='}, whitespace or control character; a
 * value has no NUL. Docker itself accepts nearly any name and splits {@code "A=B"} at the first
 * {@code '='}, so {@code env."PATH=/evil X" = "1"} would set PATH; a NUL ends the string the
 * process receives, and the daemon refuses it only when the container is created.
 */
final class EnvironmentEntries {

    static final String NAME_FIX = "write a name of letters, digits and '_', e.g. env.MY_SETTING = \"value\"";
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private EnvironmentEntries() {}

    /** What is wrong with this name, or empty when it is a usable variable name. */
    static Optional<String> nameProblem(String name) {
        if (name.isEmpty()) {
            return Optional.of("the variable name is empty");
        }
        int equals = name.indexOf('=');
        if (equals >= 0) {
            return Optional.of("the variable name " + quoted(name) + " contains '=': the container would read it as "
                    + "the variable " + quoted(name.substring(0, equals)));
        }
        if (name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("the variable name " + quoted(name) + " contains a space or a control character");
        }
        return Optional.empty();
    }

    /** What is wrong with this value, or empty; never shows the value, which may be a secret. */
    static Optional<String> valueProblem(String value) {
        return value.indexOf('\0') >= 0
                ? Optional.of("the value contains a NUL character (\\u0000), which no program can receive")
                : Optional.empty();
    }

    /** The key as written in TOML: bare when it can be, otherwise quoted with escapes. */
    static String tomlKey(String name) {
        return BARE_KEY.matcher(name).matches() ? name : quoted(name);
    }

    /** A name in double quotes, with quotes, backslashes and control characters escaped as TOML does. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : TomlValueReader.shorten(text).toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
