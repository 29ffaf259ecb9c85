package dev.cleanroom.engine.internal.docker;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the output of an exec or of a container's logs as the daemon sends it for containers
 * without a TTY: frames of an 8-byte header (stream 1 = stdout, 2 = stderr; 4-byte big-endian
 * length) and the payload. A stream that does not start with such a header (a TTY container's)
 * is passed on whole as stdout.
 */
public final class StreamFrames {

    public static final int STDOUT = 1;
    public static final int STDERR = 2;

    /** Receives each payload as it arrives. */
    @FunctionalInterface
    public interface Sink {
        void accept(int stream, byte[] payload, int length);
    }

    private StreamFrames() {}

    /** Reads {@code in} to its end. */
    public static void copy(InputStream in, Sink sink) throws IOException {
        byte[] header = new byte[8];
        byte[] payload = new byte[8192];
        while (true) {
            int read = in.readNBytes(header, 0, 8);
            if (read == 0) {
                return;
            }
            if (read < 8 || !isHeader(header)) {
                sink.accept(STDOUT, header, read);
                for (int n = in.read(payload); n >= 0; n = in.read(payload)) {
                    sink.accept(STDOUT, payload, n);
                }
                return;
            }
            long left = ((header[4] & 0xffL) << 24)
                    | ((header[5] & 0xff) << 16)
                    | ((header[6] & 0xff) << 8)
                    | (header[7] & 0xff);
            while (left > 0) {
                int n = in.read(payload, 0, (int) Math.min(payload.length, left));
                if (n < 0) {
                    return;
                }
                sink.accept(header[0], payload, n);
                left -= n;
            }
        }
    }

    private static boolean isHeader(byte[] header) {
        return header[0] >= 0 && header[0] <= 2 && header[1] == 0 && header[2] == 0 && header[3] == 0;
    }
}
