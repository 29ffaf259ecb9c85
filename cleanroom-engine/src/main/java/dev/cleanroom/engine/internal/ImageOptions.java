package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.PullPolicy;
import java.util.Optional;

/**
 * Which images a build may pull and from where: a pull policy for every service (empty: each
 * file's own) and a mirror for Docker Hub images (empty: Docker Hub as named).
 */
public record ImageOptions(Optional<PullPolicy> pull, Optional<String> mirror) {}
