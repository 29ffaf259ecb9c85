package dev.cleanroom.plugins.surrealdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code .surql} file into its statements, so that when SurrealDB rejects the N-th
 * one the error can show it. The server still receives the file whole (transactions and
 * {@code LET} variables span statements); this only has to find the semicolons that end
 * statements: not those in strings, comments or blocks such as a function body.
 */
final class SurqlStatements {

    private SurqlStatements() {}

    static List<String> split(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean code = false;
        int depth = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int skip = commentLength(text, i);
            if (skip > 0) {
                i += skip;
                current.append(' ');
                continue;
            }
            if (c == '\'' || c == '"' || c == '`' || c == '\u27e8') {
                int end = quotedEnd(text, i, c == '\u27e8' ? '\u27e9' : c);
                current.append(text, i, end);
                i = end;
                code = true;
                continue;
            }
            if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ')' || c == ']') && depth > 0) {
                depth--;
            }
            if (c == ';' && depth == 0) {
                add(statements, current, code);
                current.setLength(0);
                code = false;
            } else {
                current.append(c);
                code |= !Character.isWhitespace(c);
            }
            i++;
        }
        add(statements, current, code);
        return statements;
    }

    private static void add(List<String> statements, StringBuilder current, boolean code) {
        if (code) {
            statements.add(current.toString().strip().replaceAll("\\s+", " "));
        }
    }

    /** Length of the comment starting at {@code i} ({@code --}, {@code //}, {@code #}, block), or 0. */
    private static int commentLength(String text, int i) {
        if (text.startsWith("--", i) || text.startsWith("//", i) || text.charAt(i) == '#') {
            int end = text.indexOf('\n', i);
            return (end < 0 ? text.length() : end) - i;
        }
        if (text.startsWith("/*", i)) {
            int end = text.indexOf("*/", i + 2);
            return (end < 0 ? text.length() : end + 2) - i;
        }
        return 0;
    }

    /** Index just past the closing quote, honouring backslash escapes. */
    private static int quotedEnd(String text, int start, char close) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == close) {
                return i + 1;
            }
            i++;
        }
        return text.length();
    }
}
