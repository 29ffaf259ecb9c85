package dev.cleanroom.engine.api;

/**
 * Text as a terminal may show it. Step output and container logs are written by programs the
 * user does not control; their ESC, CR and other control bytes would recolour, retitle or clear
 * the terminal, or overwrite earlier lines (a fake "PASS" over a failure). Every adapter that
 * prints the engine's messages passes them through {@link #escape}. Reports (XML, JSON) keep
 * their own escaping and are not passed through here.
 */
public final class ConsoleText {

    private ConsoleText() {}

    /**
     * Line breaks ({@code \n}, and {@code \r\n} read as one) and tabs stay; ESC becomes {@code \e},
     * a lone CR {@code \r}, and every other C0 or C1 control character and DEL {@code \\uXXXX}.
     */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                continue;
            }
            if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
                out.append(c);
            } else if (c == '\u001b') {
                out.append("\\e");
            } else if (c == '\r') {
                out.append("\\r");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
