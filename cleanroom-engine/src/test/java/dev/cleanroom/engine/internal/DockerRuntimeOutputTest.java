package dev.cleanroom.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.internal.docker.DockerApi;
import dev.cleanroom.engine.internal.docker.DockerTransport;
import dev.cleanroom.engine.spi.ExecRequest;
import dev.cleanroom.engine.spi.ExecResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@link DockerRuntime#exec} keeps of a command's output, over a scripted Engine API. */
class DockerRuntimeOutputTest {

    /** A 400-byte line, as a service's JSON log line might be. */
    static final String LINE = "{\"level\":\"info\",\"msg\":\"" + "x".repeat(372) + "\"}\n";

    @Test
    void outputOfMoreThanOneMebibyteKeepsItsBeginningAndItsEnd() throws Exception {
        // Arrange: 1.2 MB of lines, then the line a step's regex looks for
        byte[] stdout = (LINE.repeat(3000) + "ALL TESTS PASSED\n").getBytes(StandardCharsets.UTF_8);
        DockerRuntime runtime = runtimeAnsweringExecWith(stdout);

        // Act
        ExecResult result = runtime.exec("c1", ExecRequest.of(List.of("sh", "-c", "print-a-lot"), Duration.ofSeconds(5)));

        // Assert
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith(LINE).endsWith("\n" + LINE + "ALL TESTS PASSED\n");
        assertThat(result.stdout().length()).isLessThan(stdout.length);
    }

    static DockerRuntime runtimeAnsweringExecWith(byte[] stdout) {
        DockerTransport transport = new ScriptedTransport() {
            @Override
            public Exchange exchange(String method, String path, Map<String, String> headers, byte[] body) {
                if (path.endsWith("/containers/c1/exec")) {
                    return answer(200, "{\"Id\":\"e1\"}".getBytes(StandardCharsets.UTF_8));
                }
                if (path.endsWith("/exec/e1/start")) {
                    return answer(200, framed(1, stdout));
                }
                if (path.endsWith("/exec/e1/json")) {
                    return answer(200, "{\"Running\":false,\"ExitCode\":0}".getBytes(StandardCharsets.UTF_8));
                }
                return answer(404, "{\"message\":\"no such path in this test\"}".getBytes(StandardCharsets.UTF_8));
            }
        };
        return new DockerRuntime(new DockerApi(transport, "1.41"), "127.0.0.1", EngineLog.silent());
    }

    /** The daemon's multiplexed stream: an 8-byte header per frame, frames of at most 64 KiB. */
    static byte[] framed(int stream, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < payload.length; at += 65536) {
            int length = Math.min(65536, payload.length - at);
            out.writeBytes(new byte[] {(byte) stream, 0, 0, 0, (byte) (length >>> 24), (byte) (length >>> 16),
                    (byte) (length >>> 8), (byte) length});
            out.write(payload, at, length);
        }
        return out.toByteArray();
    }

    static DockerTransport.Exchange answer(int status, byte[] body) {
        InputStream in = new ByteArrayInputStream(body);
        return new DockerTransport.Exchange() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.empty();
            }

            @Override
            public InputStream body() {
                return in;
            }

            @Override
            public void close() {
            }
        };
    }

    /** A transport that answers from the test's script; only {@code exchange} differs between tests. */
    abstract static class ScriptedTransport implements DockerTransport {
        @Override
        public String host() {
            return "unix:///scripted.sock";
        }
    }
}
