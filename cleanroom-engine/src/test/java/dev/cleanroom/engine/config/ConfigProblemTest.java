package dev.cleanroom.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.api.SourcePosition;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigProblemTest {

    private static final Path FILE = Path.of("app.clnrm.toml");

    @Test
    void rendersFileLineColumnKeyMessageAndFix() {
        ConfigProblem problem =
                new ConfigProblem(new SourcePosition(FILE, 3, 5), "services.app.image", "bad", "fix it");

        assertThat(problem).hasToString("app.clnrm.toml:3:5: services.app.image: bad (fix it)");
    }

    @Test
    void leavesOutAnEmptyKeyAndAnEmptyFix() {
        ConfigProblem problem = new ConfigProblem(new SourcePosition(FILE, 3, 5), null, "bad", null);

        assertThat(problem).hasToString("app.clnrm.toml:3:5: bad");
        assertThat(problem.keyPath()).isEmpty();
        assertThat(problem.fix()).isEmpty();
    }

    @Test
    void leavesOutAnUnknownColumnAndAnUnknownLine() {
        assertThat(new ConfigProblem(new SourcePosition(FILE, 7, 0), "", "bad", ""))
                .hasToString("app.clnrm.toml:7: bad");
        assertThat(new ConfigProblem(SourcePosition.unknown(FILE), "", "bad", ""))
                .hasToString("app.clnrm.toml: bad");
    }

    @Test
    void namesAnUnknownFile() {
        assertThat(SourcePosition.unknown(null)).hasToString("<unknown file>");
    }
}
