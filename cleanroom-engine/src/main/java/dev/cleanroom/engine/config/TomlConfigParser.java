package dev.cleanroom.engine.config;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.api.SourcePosition;
import dev.cleanroom.engine.internal.ServiceFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a {@code *.clnrm.toml} file into a validated {@link TestFile}. Only this package knows
 * tomlj: this class reads the file's bytes as text, {@link TomlFileReader} reads the TOML. Collects
 * every problem of the file and throws them together, so a user fixes their file in one round
 * rather than one error per build.
 */
public final class TomlConfigParser {

    private static final int MAX_FILE_BYTES = 1024 * 1024;

    private final ServiceFactory factory;

    public TomlConfigParser(ServiceFactory factory) {
        this.factory = factory;
    }

    public TestFile parse(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = readRegularFile(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw single(
                    file,
                    "",
                    "the file does not exist",
                    "check the path; relative paths start at " + Path.of("").toAbsolutePath());
        } catch (java.nio.file.AccessDeniedException e) {
            throw single(file, "", "the file cannot be read: permission denied", "make it readable for this user");
        } catch (IOException e) {
            throw single(file, "", "the file cannot be read: " + e.getMessage(), "check that it is a readable file");
        }
        return parse(file, bytes);
    }

    /**
     * The file's bytes, at most {@link #MAX_FILE_BYTES} + 1 of them (enough to tell "too large").
     * Only a regular file is opened: a named pipe blocks the open until someone writes, and a
     * device such as /dev/zero never ends.
     */
    private static byte[] readRegularFile(Path file) throws IOException, ConfigException {
        java.nio.file.attribute.BasicFileAttributes attributes =
                Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw single(
                    file,
                    "",
                    "the file is " + notRegular(file) + ", not a regular file; Cleanroom reads only " + "regular files",
                    "pass a *.clnrm.toml file");
        }
        if (attributes.size() > MAX_FILE_BYTES) {
            throw tooLarge(file, attributes.size());
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MAX_FILE_BYTES + 1); // it may have grown since
        }
    }

    /** What a path that is not a regular file is, following symbolic links as opening it would. */
    private static String notRegular(Path file) {
        String kind = fileKind(file);
        if (!Files.isSymbolicLink(file)) {
            return kind;
        }
        try {
            return "a symbolic link to " + file.toRealPath() + ", " + kind;
        } catch (IOException e) {
            return "a symbolic link to " + kind;
        }
    }

    /** The POSIX file type from the mode bits where the platform exposes them (Linux, macOS). */
    private static String fileKind(Path file) {
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> "a named pipe (FIFO)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                case 0040000 -> "a directory";
                default -> "something else";
            };
        } catch (IOException | RuntimeException e) {
            return Files.isDirectory(file) ? "a directory" : "something else";
        }
    }

    private static ConfigException tooLarge(Path file, long size) {
        return single(
                file,
                "",
                "the file is " + size + " bytes; Cleanroom reads at most " + MAX_FILE_BYTES,
                "split it into several *.clnrm.toml files");
    }

    public TestFile parse(Path file, byte[] bytes) throws ConfigException {
        if (bytes.length > MAX_FILE_BYTES) {
            throw tooLarge(file, bytes.length);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(new ConfigProblem(
                    new SourcePosition(file, lineOfFirstBadByte(bytes), 0),
                    "",
                    "the file is not valid UTF-8",
                    "save it as UTF-8")));
        }
        return new TomlFileReader(file, factory).read(text);
    }

    /** A file's one problem, without a line: found before its text could be read as TOML. */
    static ConfigException single(Path file, String key, String message, String fix) {
        return new ConfigException(List.of(new ConfigProblem(SourcePosition.unknown(file), key, message, fix)));
    }

    private static int lineOfFirstBadByte(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        int line = 1;
        for (int i = 0; i < bytes.length; i++) {
            int len = (bytes[i] & 0x80) == 0
                    ? 1
                    : (bytes[i] & 0xE0) == 0xC0 ? 2 : (bytes[i] & 0xF0) == 0xE0 ? 3 : (bytes[i] & 0xF8) == 0xF0 ? 4 : 0;
            if (len == 0 || i + len > bytes.length) {
                return line;
            }
            try {
                decoder.reset().decode(ByteBuffer.wrap(bytes, i, len));
            } catch (CharacterCodingException e) {
                return line;
            }
            if (bytes[i] == '\n') {
                line++;
            }
            i += len - 1;
        }
        return line;
    }
}
