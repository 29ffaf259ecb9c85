#!/usr/bin/env bash
# Time to find and register the service types (issue 9 target: under 1 ms): the first discovery in
# a fresh JVM, then discovery and registration with the classes loaded. No Docker needed. It
# compiles the engine and plugins of this checkout and runs their target/classes, never a jar in ~/.m2.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Fully qualified: offline, Maven cannot resolve the `dependency:` prefix without plugin-group metadata.
./mvnw -q -B -o -pl cleanroom-engine,cleanroom-plugins compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="cleanroom-engine/target/classes:cleanroom-plugins/target/classes:$(tr ':' '\n' < "$work/cp.txt" | grep -v '/dev/cleanroom/' | paste -sd:)"
javac -d "$work" -cp "$cp" bench/registration/PluginRegistration.java
java -cp "$cp:$work" PluginRegistration
