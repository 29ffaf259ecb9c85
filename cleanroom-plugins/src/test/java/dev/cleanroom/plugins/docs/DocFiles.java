package dev.cleanroom.plugins.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the repository's files from a test, and reads and rewrites the fenced code blocks of a page. */
public final class DocFiles {

    private DocFiles() {}

    /** The repository root: the nearest directory upwards from the working directory that holds site/site.xml. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("site/site.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No site/site.xml above " + Path.of("").toAbsolutePath()
                + "; run the tests from inside the repository");
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fenced block: its info string (e.g. {@code java}) and its text, each line ending in \n. */
    public record Block(String info, String text) {}

    /** The fenced blocks of a Markdown page, in order. Fences are ``` at the start of a line. */
    public static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        String info = null;
        StringBuilder body = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            if (info == null && line.startsWith("```")) {
                info = line.substring(3).trim();
                body.setLength(0);
            } else if (info != null && line.equals("```")) {
                blocks.add(new Block(info, body.toString()));
                info = null;
            } else if (info != null) {
                body.append(line).append('\n');
            }
        }
        if (info != null) {
            throw new IllegalArgumentException("A ```" + info + " block is not closed");
        }
        return blocks;
    }

    /** The texts of the blocks whose info string is {@code info}. */
    public static List<String> blocks(String markdown, String info) {
        return blocks(markdown).stream()
                .filter(b -> b.info().equals(info))
                .map(Block::text)
                .toList();
    }

    /** The page with the text of its {@code index}-th block of kind {@code info} replaced. */
    public static String replaceBlock(String markdown, String info, int index, String text) {
        List<String> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        boolean inBlock = false;
        int seen = -1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!inBlock && line.startsWith("```")) {
                inBlock = true;
                out.add(line);
                if (line.substring(3).trim().equals(info) && ++seen == index) {
                    if (!text.isEmpty()) {
                        out.add(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
                    }
                    while (!lines[i + 1].equals("```")) {
                        i++;
                    }
                }
            } else if (inBlock && line.equals("```")) {
                inBlock = false;
                out.add(line);
            } else {
                out.add(line);
            }
        }
        return String.join("\n", out);
    }

    /**
     * The lines between {@code // tag::NAME[]} and {@code // end::NAME[]} of a source file,
     * with the indentation of the first line removed from each.
     */
    public static String region(String source, String name) {
        String begin = "// tag::" + name + "[]";
        String end = "// end::" + name + "[]";
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : source.split("\n", -1)) {
            if (line.trim().equals(begin)) {
                inside = true;
            } else if (line.trim().equals(end)) {
                inside = false;
            } else if (inside) {
                lines.add(line);
            }
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("No region " + name + " (" + begin + " ... " + end + ")");
        }
        int indent = lines.get(0).length() - lines.get(0).stripLeading().length();
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line.length() >= indent ? line.substring(indent) : line.strip())
                    .append('\n');
        }
        return text.toString();
    }
}
