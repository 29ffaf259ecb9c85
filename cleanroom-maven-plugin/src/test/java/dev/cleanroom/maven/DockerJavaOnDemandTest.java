package dev.cleanroom.maven;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DockerJavaOnDemandTest {

    @Test
    void knowsTheDockerJavaVersionTheEngineIsBuiltWith() {
        // The build filters it into the plugin's jar; unfiltered it would read ${docker-java.version}.
        assertThat(DockerJavaOnDemand.version()).matches("\\d+\\.\\d+\\.\\d+");
    }
}
