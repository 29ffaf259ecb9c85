package dev.cleanroom.engine.api;

import java.util.Objects;

/**
 * One thing wrong with a configuration file: where it is, which key, what is wrong and how
 * to fix it. Rendered as {@code file:line:col: key: message (fix)}.
 */
public record ConfigProblem(SourcePosition position, String keyPath, String message, String fix) {

    public ConfigProblem {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(message, "message");
        keyPath = keyPath == null ? "" : keyPath;
        fix = fix == null ? "" : fix;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(position.toString()).append(": ");
        if (!keyPath.isEmpty()) {
            text.append(keyPath).append(": ");
        }
        text.append(message);
        if (!fix.isEmpty()) {
            text.append(" (").append(fix).append(')');
        }
        return text.toString();
    }
}
