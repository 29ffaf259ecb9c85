package dev.cleanroom.engine.spi;

/** What Docker says about a container now; used to explain why a start failed. */
public record ContainerState(boolean running, int exitCode, boolean oomKilled, String status, String error) {

    public ContainerState {
        status = status == null ? "" : status;
        error = error == null ? "" : error;
    }

    /** "exited with code 3", "was killed: out of memory (OOMKilled)", ... */
    public String describe() {
        if (running) {
            return "is running";
        }
        StringBuilder text = new StringBuilder();
        if (oomKilled) {
            text.append("was killed for using too much memory (OOMKilled, exit code ")
                    .append(exitCode)
                    .append(')');
        } else {
            text.append("exited with code ").append(exitCode);
        }
        if (!error.isEmpty()) {
            text.append(": ").append(error);
        }
        return text.toString();
    }
}
