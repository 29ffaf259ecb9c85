package dev.cleanroom.engine.spi;

/**
 * Where a command's output was cut because it was larger than what is kept. The text then holds
 * the head, a marker line, and the tail; both parts end and start at line boundaries, so a line
 * is never shown (or matched) half.
 *
 * @param keptHeadBytes bytes kept from the beginning
 * @param keptTailBytes bytes kept from the end
 * @param totalBytes bytes the command wrote to this stream
 * @param headEnd index in the text where the head ends and the marker line starts
 * @param tailStart index in the text where the tail starts, after the marker line
 */
public record OutputCut(long keptHeadBytes, long keptTailBytes, long totalBytes, int headEnd, int tailStart) {

    /** The marker line that stands for the bytes that were not kept. */
    public static String marker(String stream, long droppedBytes) {
        return "[cleanroom: " + droppedBytes + " bytes of " + stream + " cut here]\n";
    }

    /** "stdout was cut: kept the first 524288 and the last 524288 of 1200017 bytes". */
    public String describe(String stream) {
        return stream + " was cut: kept the first " + keptHeadBytes + " and the last " + keptTailBytes + " of "
                + totalBytes + " bytes";
    }

    /** The head and the tail of {@code text}, without the marker line between them. */
    public CharSequence[] parts(String text) {
        return new CharSequence[] {text.subSequence(0, headEnd), text.subSequence(tailStart, text.length())};
    }
}
