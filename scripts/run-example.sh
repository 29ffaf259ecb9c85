#!/usr/bin/env bash
# Sets up everything and runs a real example: starts a Docker daemon if none answers
# (installing Debian's docker.io when needed), builds the offline fixture image, installs
# the plugin into ~/.m2, then runs examples/hello with `mvn cleanroom:run`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/docker-up.sh
scripts/build-fixture-images.sh
echo "==> installing the plugin into the local Maven repository"
./mvnw -B -q -ntp install -DskipTests -Dinvoker.skip=true
echo "==> mvn cleanroom:run in examples/hello"
./mvnw -B -ntp -f examples/hello/pom.xml cleanroom:run
