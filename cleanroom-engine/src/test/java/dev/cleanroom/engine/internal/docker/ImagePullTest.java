package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImagePullTest {

    @Test
    void splitsTheTagOffTheRepository() {
        assertThat(ImagePull.repository("surrealdb/surrealdb:v2.3.7")).isEqualTo("surrealdb/surrealdb");
        assertThat(ImagePull.tagOrDigest("surrealdb/surrealdb:v2.3.7")).isEqualTo("v2.3.7");
    }

    @Test
    void pullsLatestWhenNoTagIsNamedNotEveryTag() {
        assertThat(ImagePull.repository("busybox")).isEqualTo("busybox");
        assertThat(ImagePull.tagOrDigest("busybox")).isEqualTo("latest");
    }

    @Test
    void aRegistryPortIsNotATag() {
        assertThat(ImagePull.repository("localhost:5000/team/app")).isEqualTo("localhost:5000/team/app");
        assertThat(ImagePull.tagOrDigest("localhost:5000/team/app")).isEqualTo("latest");
        assertThat(ImagePull.repository("localhost:5000/team/app:1.2")).isEqualTo("localhost:5000/team/app");
        assertThat(ImagePull.tagOrDigest("localhost:5000/team/app:1.2")).isEqualTo("1.2");
    }

    @Test
    void pullsByDigest() {
        String image = "ghcr.io/org/app@sha256:0123456789abcdef";
        assertThat(ImagePull.repository(image)).isEqualTo("ghcr.io/org/app");
        assertThat(ImagePull.tagOrDigest(image)).isEqualTo("sha256:0123456789abcdef");
    }
}
