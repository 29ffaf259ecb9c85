#!/usr/bin/env bash
# Sets up everything and runs a real example: offers to add the plugin group to
# ~/.m2/settings.xml (asks first; see scripts/add-plugin-group.sh), starts a Docker daemon if
# none answers (installing Debian's docker.io when needed), builds the one fixture image the
# example uses, installs the plugin into ~/.m2, then runs examples/hello with `mvn cleanroom:run`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# First, before the long steps, so the question is not missed; a failed edit is reported
# there and does not stop the example, which needs no plugin group (its POM names the plugin).
scripts/add-plugin-group.sh || true
scripts/docker-up.sh
# examples/hello uses cleanroom/busybox:fixture only; scripts/test.sh builds every image.
scripts/build-fixture-images.sh busybox
echo "==> installing the plugin into the local Maven repository"
# Only the jars the example runs: no tests, no style or compatibility checks (scripts/test.sh runs those).
./mvnw -B -q -ntp install -DskipTests -Dinvoker.skip=true -Dspotless.check.skip=true -Djapicmp.skip=true
echo "==> mvn cleanroom:run in examples/hello"
./mvnw -B -ntp -f examples/hello/pom.xml cleanroom:run
