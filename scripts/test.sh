#!/usr/bin/env bash
# Runs every test: unit tests, Docker tests (*IT), the invoker projects in src/it, and the
# environment tests of scripts/env-it.sh (Maven inside a container, a "remote" daemon).
# Works on a fresh machine: starts a Docker daemon (installing Debian's docker.io when
# needed), builds the offline fixture images, then runs the Maven build.
# Exits with the Maven build's exit code. Docker leaks (containers, networks left
# behind by the tests) are printed at the end so they show in the log.
# Then the Podman tests (PodmanIT, PodmanReuseIT) against Podman's rootful service (scripts/podman-up.sh;
# CLEANROOM_SKIP_PODMAN=true skips them), and the private registry tests (RegistryCredentialsIT, RegistryPullIT,
# the invoker projects private-registry-settings and private-registry-pull) against a registry with htpasswd users
# (scripts/registry-up.sh; CLEANROOM_SKIP_REGISTRY=true skips them).
# Extra arguments go to the main Maven build, e.g. scripts/test.sh -Dit.test=GenericContainerIT
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PHASES=()
phase() {
  # phase NAME CMD...: run one step, record and print how long it took.
  local name=$1 start rc=0
  shift
  echo "==> $name: $*"
  start=$(date +%s)
  "$@" || rc=$?
  PHASES+=("$(printf '%-16s %4ss  exit %s' "$name" "$(($(date +%s) - start))" "$rc")")
  echo "<== $name: $(($(date +%s) - start))s, exit $rc"
  return "$rc"
}

# Ids of every container and network a Cleanroom run labelled, one per line.
cleanroom_resources() {
  { docker ps -aq --no-trunc --filter label=dev.cleanroom.project
    docker network ls -q --no-trunc --filter label=dev.cleanroom.project; } 2>/dev/null || true
}
CLEANROOM_BEFORE=
PODMAN_UP=false
REMOTE_DOCKER_UP=false
REGISTRY_UP=false

# shellcheck disable=SC2317  # called via trap
on_exit() {
  local rc=$?
  # The Podman service this script started must not outlive it, whatever failed.
  if [[ $PODMAN_UP == true ]]; then
    scripts/podman-down.sh </dev/null || ((rc != 0)) || rc=1
  fi
  # The "remote" daemon's teardown runs whatever happened before (a failed or interrupted
  # phase): no second dockerd, network namespace or its data may outlive the run.
  if [[ $REMOTE_DOCKER_UP == true ]]; then
    phase remote-down bash scripts/remote-docker.sh down </dev/null || { ((rc != 0)) || rc=1; }
  fi
  # So must the registry (its process and its directory with the test users' htpasswd).
  if [[ $REGISTRY_UP == true ]]; then
    scripts/registry-down.sh </dev/null || ((rc != 0)) || rc=1
  fi
  echo "==> phase timings"
  printf '    %s\n' "${PHASES[@]}"
  if docker info >/dev/null 2>&1; then
    echo "==> docker ps -a (anything listed was left behind)"
    docker ps -a || true
    echo "==> docker network ls --filter type=custom (anything listed was left behind)"
    docker network ls --filter type=custom || true
    # Nothing a test started may outlive the build: a leak of ours fails the run even if every test passed.
    # Only what appeared during this run counts: services a developer kept running (keepRunning)
    # before it are theirs.
    local leaked
    leaked=$(comm -13 <(printf '%s\n' "$CLEANROOM_BEFORE" | sort) <(cleanroom_resources | sort) | grep -c . || true)
    if ((leaked > 0)); then
      echo "==> FAILED: $leaked container(s) or network(s) labelled dev.cleanroom.project were left behind (listed above)"
      ((rc != 0)) || rc=1
    fi
  else
    echo "==> no Docker daemon answers; cannot list leftovers"
  fi
  exit "$rc"
}
trap on_exit EXIT

# The set-up offer of scripts/run-example.sh, with temporary HOMEs (no Docker, no Maven).
# A failure here fails the run at the end, after the other tests have had their say.
offer_rc=0
phase settings-offer bash scripts/test-add-plugin-group.sh </dev/null || offer_rc=$?
phase docker-up scripts/docker-up.sh </dev/null
CLEANROOM_BEFORE=$(cleanroom_resources)
phase fixture-images scripts/build-fixture-images.sh </dev/null

# The Maven Wrapper pins the Maven version; fall back to mvn until it exists.
if [[ -f ./mvnw ]]; then
  # A fresh clone may lose the executable bit (e.g. committed from Windows).
  if [[ -x ./mvnw ]]; then MVN=(./mvnw); else MVN=(sh ./mvnw); fi
else
  echo "==> ./mvnw not found, using mvn from PATH"
  MVN=(mvn)
fi

test_rc=0
# DaemonRestartIT may stop and restart the Docker daemon: only this script, which starts it, allows that.
phase test "${MVN[@]}" -B -ntp verify -Dcleanroom.it.restartDaemon=true "$@" </dev/null || test_rc=$?
# Podman as the engine (PodmanIT, PodmanReuseIT), after the main daemon's tests so the two never
# share a phase: Debian's podman, its rootful service on /run/podman/podman.sock, found through a
# docker context and ~/.testcontainers.properties without DOCKER_HOST (PodmanReuseIT's in-JVM
# builds through the DOCKER_HOST system property, so no test of the default daemon may share this
# JVM). podman-down.sh fails the build if a run left anything in Podman, and stops the service.
if ((test_rc == 0)) && [[ ${CLEANROOM_SKIP_PODMAN:-} != true ]]; then
  PODMAN_UP=true
  phase podman-up scripts/podman-up.sh </dev/null || test_rc=$?
  if ((test_rc == 0)); then
    phase podman "${MVN[@]}" -B -ntp -pl cleanroom-engine,cleanroom-plugins verify -Dtest=none \
        -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='Podman*IT' -Dfailsafe.failIfNoSpecifiedTests=false \
        -Dcleanroom.it.podman=true </dev/null || test_rc=$?
  fi
  PODMAN_UP=false
  phase podman-down scripts/podman-down.sh </dev/null || test_rc=$?
fi
# Issue 14: builds where teams run them, on real daemons (scripts/env-it.sh says how): Maven
# inside a container of the default daemon, then against a second dockerd in a network
# namespace ("remote", tcp). They use the plugin the invoker run above installed, so they run
# only after the main build passed; the remote daemon is torn down at exit whatever happens.
if ((test_rc == 0)) && [[ ${CLEANROOM_SKIP_ENV_IT:-} != true ]]; then
  phase in-container bash scripts/env-it.sh maven-in-container </dev/null || test_rc=$?
  REMOTE_DOCKER_UP=true
  if phase remote-up bash scripts/remote-docker.sh up </dev/null; then
    phase remote-daemon bash scripts/env-it.sh remote-daemon </dev/null || test_rc=$?
  else
    test_rc=1
  fi
  phase remote-down bash scripts/remote-docker.sh down </dev/null || test_rc=$?
  REMOTE_DOCKER_UP=false
elif ((test_rc == 0)); then
  echo "==> SKIPPED the environment tests (in-container, remote-daemon): CLEANROOM_SKIP_ENV_IT=true"
fi
# Private registries: Debian's docker-registry on a loopback port with htpasswd users, holding a
# pushed fixture image whose local copy is removed, so the tests really pull it: through a
# credential helper named by credsStore and by credHelpers, DOCKER_AUTH_CONFIG (RegistryCredentialsIT)
# and settings.xml servers (the invoker project private-registry-settings); by digest and with
# pull = "always" under a moved tag (RegistryPullIT); two at once by cleanroom:pull (the invoker
# project private-registry-pull).
if ((test_rc == 0)) && [[ ${CLEANROOM_SKIP_REGISTRY:-} != true ]]; then
  REGISTRY_UP=true
  registry=127.0.0.1:${CLEANROOM_REGISTRY_PORT:-5055} # where registry-up.sh serves
  phase registry-up scripts/registry-up.sh </dev/null || test_rc=$?
  if ((test_rc == 0)); then
    phase registry "${MVN[@]}" -B -ntp -pl cleanroom-engine,cleanroom-plugins verify -Dtest=none \
        -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='RegistryCredentialsIT,RegistryPullIT' \
        -Dfailsafe.failIfNoSpecifiedTests=false -Dinvoker.skip -Dcleanroom.it.registry="$registry" </dev/null \
        || test_rc=$?
  fi
  if ((test_rc == 0)); then
    phase registry-maven "${MVN[@]}" -B -ntp -pl cleanroom-maven-plugin -am verify -DskipTests \
        -Dinvoker.test=private-registry-settings,private-registry-pull -Dcleanroom.it.registry="$registry" </dev/null || test_rc=$?
  fi
  REGISTRY_UP=false
  phase registry-down scripts/registry-down.sh </dev/null || test_rc=$?
fi
# The documentation site must build too (goal reference, TOML reference, guides); its golden
# tests ran above. Skipped when the tests failed, to keep the failure the last thing printed.
if ((test_rc == 0)) && [[ ${CLEANROOM_SKIP_SITE:-} != true ]]; then
  phase site "${MVN[@]}" -B -ntp -q test-compile site site:stage -DskipTests -Dinvoker.skip </dev/null || test_rc=$?
  # The pages users open first must be in the staged site: the TOML reference and the goals.
  for page in target/staging/index.html target/staging/toml-reference.html \
      target/staging/cleanroom-maven-plugin/plugin-info.html; do
    [[ -s $page ]] || { echo "==> FAILED: the staged site has no $page"; test_rc=1; }
  done
fi
if ((offer_rc != 0 && test_rc == 0)); then
  echo "==> FAILED: scripts/test-add-plugin-group.sh (its output is above, in phase settings-offer)"
  test_rc=$offer_rc
fi
exit "$test_rc"
