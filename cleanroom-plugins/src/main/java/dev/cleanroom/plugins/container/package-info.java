/**
 * What the built-in types that are one container share for reuse across builds: {@link
 * dev.cleanroom.plugins.container.ContainerService}, which starts the container or adopts the one
 * an earlier build left, and builds the run's handle from it either way; and {@link
 * dev.cleanroom.plugins.container.FileFingerprint}, which makes an edit to a file read at start
 * replace a kept service.
 */
package dev.cleanroom.plugins.container;
