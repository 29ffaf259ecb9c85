package dev.cleanroom.engine.internal.docker;

import dev.cleanroom.engine.spi.OutputCut;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One output stream of a command, kept as a bounded head and a bounded tail: a chatty command
 * cannot exhaust the heap, and both its first lines (where a failure starts) and its last lines
 * (where test runners print their verdict) survive.
 */
final class CappedOutput {

    private final int headLimit;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    /** The last bytes written, as a ring: {@code tailNext} is where the next byte goes. */
    private final byte[] tail;

    private int tailNext;
    private int tailSize;
    private long total;
    /** The newest byte that fell out of the ring; tells whether the tail starts at a line boundary. */
    private int lastDropped = '\n';

    CappedOutput(int headLimit, int tailLimit) {
        this.headLimit = headLimit;
        this.tail = new byte[tailLimit];
    }

    synchronized void write(byte[] bytes, int length) {
        total += length;
        int offset = 0;
        int room = headLimit - head.size();
        if (room > 0) {
            int taken = Math.min(room, length);
            head.write(bytes, 0, taken);
            offset = taken;
        }
        for (int i = offset; i < length && tail.length > 0; i++) {
            if (tailSize == tail.length) {
                lastDropped = tail[tailNext];
            } else {
                tailSize++;
            }
            tail[tailNext] = bytes[i];
            tailNext = (tailNext + 1) % tail.length;
        }
    }

    private byte[] tailBytes() {
        byte[] ordered = new byte[tailSize];
        int start = (tailNext - tailSize + tail.length) % Math.max(1, tail.length);
        for (int i = 0; i < tailSize; i++) {
            ordered[i] = tail[(start + i) % tail.length];
        }
        return ordered;
    }

    private boolean isCut() {
        return total > head.size() + tailSize;
    }

    /** The output, with a marker line where bytes were cut. */
    synchronized Captured captured(String stream) {
        byte[] headBytes = head.toByteArray();
        byte[] tailBytes = tailBytes();
        if (!isCut()) {
            byte[] all = new byte[headBytes.length + tailBytes.length];
            System.arraycopy(headBytes, 0, all, 0, headBytes.length);
            System.arraycopy(tailBytes, 0, all, headBytes.length, tailBytes.length);
            return new Captured(new String(all, StandardCharsets.UTF_8), Optional.empty());
        }
        int headKept = headBytes.length;
        if (headKept > 0 && headBytes[headKept - 1] != '\n') {
            headKept = lastNewline(headBytes) + 1; // drops a half line, or (no newline at all) keeps it as it is
            headKept = headKept == 0 ? headBytes.length : headKept;
        }
        int tailFrom = lastDropped == '\n' ? 0 : firstNewline(tailBytes) + 1;
        String headText = new String(headBytes, 0, headKept, StandardCharsets.UTF_8);
        if (!headText.isEmpty() && !headText.endsWith("\n")) {
            headText += "\n";
        }
        String tailText = new String(tailBytes, tailFrom, tailBytes.length - tailFrom, StandardCharsets.UTF_8);
        long keptTail = tailBytes.length - tailFrom;
        String marker = OutputCut.marker(stream, total - headKept - keptTail);
        String text = headText + marker + tailText;
        return new Captured(
                text,
                Optional.of(new OutputCut(
                        headKept, keptTail, total, headText.length(), headText.length() + marker.length())));
    }

    /** The last lines only, whole lines, without a marker: what "the last N lines of a log" asks for. */
    synchronized String lastLines() {
        byte[] tailBytes = tailBytes();
        int from = isCut() && lastDropped != '\n' ? firstNewline(tailBytes) + 1 : 0;
        return new String(tailBytes, from, tailBytes.length - from, StandardCharsets.UTF_8);
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int firstNewline(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Text as kept, and where it was cut (empty when it was kept whole). */
    record Captured(String text, Optional<OutputCut> cut) {}
}
