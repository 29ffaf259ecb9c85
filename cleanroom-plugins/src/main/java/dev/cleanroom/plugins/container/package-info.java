/**
 * What the built-in types that are one container share: {@link
 * dev.cleanroom.plugins.container.ContainerService}, which starts the container or adopts the one
 * an earlier build left for reuse, and builds the run's handle from it either way.
 */
package dev.cleanroom.plugins.container;
