#!/usr/bin/env bash
# End-to-end tests of the environments teams' builds run in (issue 14), on real daemons:
#
#   scripts/env-it.sh maven-in-container
#       Maven INSIDE a container of the default daemon (Jenkins agents in Docker, GitLab runners
#       that bind the socket, devcontainers): a cleanroom/maven-jdk17:fixture container on the
#       default bridge network (never --network host, which would prove nothing) with the
#       daemon's socket, the local repository and the project (at another path than here)
#       mounted runs `mvn -o verify` (cleanroom:start, the Failsafe IT PostgresIT connecting with
#       the PostgreSQL JDBC driver to the exported address, cleanroom:stop) and then, in the same
#       container, `mvn -o cleanroom:run` of a service with health.http and a bind mount. Then reuse
#       across builds (issue #17) from the same project at its two paths: `mvn -o verify
#       -Dcleanroom.reuse=true` in a container (leaves PostgreSQL running), the JUnit 5 extension in
#       a NEW container (`mvn -o test -Dtest=PostgresFromTheIde`, no Cleanroom goal: it must join
#       the run's network to reach what the build left), the same build in a NEW
#       container (adopts the same container and reaches it), the same on this machine (adopts it
#       too, through 127.0.0.1), then `mvn -o cleanroom:clean` here leaves nothing of the project.
#   scripts/env-it.sh remote-daemon
#       The same two builds on this machine against the "remote" dockerd of
#       scripts/remote-docker.sh (DOCKER_HOST=tcp://10.231.7.2:2375; run `up` first), then
#       cleanroom:run of a copy in a directory that daemon does not see: refused, saying why.
#
# Both first build the project on this machine against the default daemon: the control (it
# passes where Cleanroom always worked) and what fetches everything into the local repository,
# so the builds under test run offline. The local repository is the invoker's
# (cleanroom-maven-plugin/target/local-repo), where `./mvnw verify` installed the plugin; set
# CLEANROOM_ENV_IT_REPO to use another. Every leftover check asks the daemon under test, and
# the default one too. Exits non-zero on the first failed expectation, saying which.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
readonly PROJECT_LABEL=dev.cleanroom.project
readonly PROJECT=dev.cleanroom.it:env-postgres-failsafe
readonly MAVEN_IMAGE=cleanroom/maven-jdk17:fixture
readonly REMOTE=tcp://10.231.7.2:2375
readonly REMOTE_ADDRESS=10.231.7.2
# A directory the remote daemon does not see (scripts/remote-docker.sh hides it from it).
readonly UNSHARED_PROJECT=/var/tmp/cleanroom-remote-unshared/project
# Bounds: a hung build fails the test instead of hanging CI.
readonly BUILD_TIMEOUT=${CLEANROOM_ENV_IT_TIMEOUT:-300}
# Where the project is inside the Maven container: not its path here, and a path that does not
# exist here, so an untranslated volume path shows (the daemon creates it here).
readonly IN_CONTAINER=/cleanroom-env-it-project
REPO=${CLEANROOM_ENV_IT_REPO:-$ROOT/cleanroom-maven-plugin/target/local-repo}
MODE=${1:-}

say() { echo "[env-it $MODE] $*"; }
fail() { echo "[env-it $MODE] FAILED: $*" >&2; exit 1; }
# problem MESSAGE: a failed expectation of one build; the next builds still run, to say more.
PROBLEMS=()
problem() { echo "[env-it $MODE] FAILED: $*" >&2; PROBLEMS+=("$*"); }

# The project's version, from the root POM (its <version> is the first at two spaces).
VERSION=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$ROOT/pom.xml" | head -n 1)
[[ -n $VERSION ]] || fail "no <version> in $ROOT/pom.xml"
[[ -d $REPO/dev/cleanroom/cleanroom-maven-plugin/$VERSION ]] \
  || fail "the plugin $VERSION is not in $REPO. Perhaps you should run ./mvnw verify first (or set CLEANROOM_ENV_IT_REPO to a local repository that has it)"

command -v mvn >/dev/null \
  || fail "no mvn on the PATH. Perhaps you should install Debian's maven (apt-get install -y maven), the Maven the image has"
WORK=$ROOT/target/env-it/$MODE
CONTAINER=
# shellcheck disable=SC2317  # called via trap
# Removes the Maven container. A build still running in it (timed out: `timeout` ends only the
# docker CLI) first gets SIGTERM, as Ctrl-C would give it, so Cleanroom's shutdown hook removes
# its services before the container goes.
remove_maven_container() {
  [[ -n $CONTAINER ]] || return 0
  timeout 40 docker exec "$CONTAINER" sh -c \
    'kill -TERM -1 2>/dev/null; for i in $(seq 30); do kill -0 -1 2>/dev/null || exit 0; sleep 1; done' \
    >/dev/null 2>&1 || true
  docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
  CONTAINER=
}

# Set while the reuse scenario may have left services running on purpose: the leftover checks
# cannot report them after a failed step, so the trap removes them (only this project's).
REUSE_LEFT=
# shellcheck disable=SC2317  # called via trap
remove_reused() {
  [[ -n $REUSE_LEFT ]] || return 0
  local ids
  ids=$(docker ps -aq --filter "label=$PROJECT_LABEL=$PROJECT" 2>/dev/null || true)
  [[ -z $ids ]] || docker rm -f $ids >/dev/null 2>&1 || true
  ids=$(docker network ls -q --filter "label=$PROJECT_LABEL=$PROJECT" 2>/dev/null || true)
  [[ -z $ids ]] || docker network rm $ids >/dev/null 2>&1 || true
  REUSE_LEFT=
}

cleanup() {
  # The Maven container only; what Cleanroom started is for the leftover checks to find.
  remove_maven_container
  remove_reused
  # Made by the daemon when a volume path was not translated (checked absent before the test).
  if [[ $MODE == maven-in-container && -d $IN_CONTAINER ]]; then rm -rf "$IN_CONTAINER"; fi
}
trap cleanup EXIT

# A fresh copy of the project, its plugin version filled in, and settings that take artifacts
# from the user's repository (copies) before Central, as the invoker's do.
prepare() {
  rm -rf "$WORK"
  mkdir -p "$WORK"
  cp -r "$ROOT/src/env-it/postgres-failsafe/." "$WORK/project"
  sed -i "s/@project.version@/$VERSION/" "$WORK/project/pom.xml"
  sed "s#@localRepositoryUrl@#file://$HOME/.m2/repository#" "$ROOT/src/it/settings.xml" >"$WORK/settings.xml"
}

# mvn ARGS...: Maven on this machine, with the test repository. Debian's mvn (on the PATH here),
# not the wrapper's 3.9: the image has Debian's Maven, and another version needs other artifacts
# (3.8 gives plugins plexus-utils 1.1), which the offline builds in the container would lack.
host_mvn() {
  timeout "$BUILD_TIMEOUT" mvn -B -ntp -s "$WORK/settings.xml" -Dmaven.repo.local="$REPO" \
    -f "${POM:-$WORK/project/pom.xml}" "$@"
}

# expect LOG REGEX WHAT: the log has a line matching the (extended) regex.
expect() {
  grep -Eq -- "$2" "$1" || { tail -n 80 "$1" >&2; problem "$3: $1 has no line matching /$2/ (its end is above)"; }
}

# expect_once LOG REGEX WHAT: exactly one line of the log matches (said once per run, not per service).
expect_once() {
  local count
  count=$(grep -Ec -- "$2" "$1" || true)
  ((count == 1)) || { grep -E -- 'Services are reached|WARN' "$1" >&2 || true; problem "$3: $count lines of $1 match /$2/, not one (its reach lines are above)"; }
}

# The address PostgresIT dialled, from its own line in LOG.
dialled_host() {
  sed -n 's#^PostgresIT connects to jdbc:postgresql://\([^:/]*\):.*#\1#p' "$1" | head -n 1
}

# expect_nothing_left WHICH DOCKER_ARGS...: no container or network of the project on that daemon.
expect_nothing_left() {
  local which=$1 left
  shift
  left=$( { docker "$@" ps -a --filter "label=$PROJECT_LABEL=$PROJECT" --format 'container {{.Names}} {{.Status}}'
            docker "$@" network ls --filter "label=$PROJECT_LABEL=$PROJECT" --format 'network {{.Name}}'; } 2>&1) \
    || { problem "could not ask the $which daemon for leftovers: $left"; return 0; }
  if [[ -n $left ]]; then problem "left behind on the $which daemon: $left"; return 0; fi
  say "nothing of $PROJECT left on the $which daemon"
}

# The control, and what fills the repository: both builds on this machine, default daemon.
host_builds() {
  local start=$SECONDS
  say "control on this machine (default daemon); fetches what the builds below need"
  (unset DOCKER_HOST; host_mvn verify) >"$WORK/host-verify.log" 2>&1 \
    || { tail -n 80 "$WORK/host-verify.log" >&2; fail "the control build on this machine failed (log above)"; }
  expect "$WORK/host-verify.log" 'Tests run: 1, Failures: 0, Errors: 0, Skipped: 0.* in dev\.cleanroom\.envit\.PostgresIT' "control"
  # This machine (a container host with /.dockerenv) is detected as the daemon's host.
  expect_once "$WORK/host-verify.log" "^\[INFO\] Services are reached at 127\.0\.0\.1: this build runs on the Docker daemon's host " "control: on the host"
  (unset DOCKER_HOST; host_mvn cleanroom:run -Dfile=src/test/cleanroom-web) >"$WORK/host-run.log" 2>&1 \
    || { tail -n 80 "$WORK/host-run.log" >&2; fail "the control cleanroom:run on this machine failed (log above)"; }
  expect "$WORK/host-run.log" '\[INFO\] Step serves_the_mounted_file PASSED' "control cleanroom:run"
  rm -rf "$WORK/project/target"
  expect_nothing_left default
  say "control passed in $((SECONDS - start))s"
}

# in_build LOG WHAT CMD...: runs one build under test, its output in LOG; a failure is a problem.
in_build() {
  local log=$1 what=$2
  shift 2
  say "$what"
  local rc=0
  "$@" >"$log" 2>&1 || rc=$?
  ((rc == 0)) && return 0
  tail -n 80 "$log" >&2
  if ((rc == 124)); then
    problem "$what did not finish within ${BUILD_TIMEOUT}s (the end of $log is above)"
  else
    problem "$what failed, exit $rc (the end of $log is above)"
  fi
  return 1
}

# start_maven_container NAME: a new Maven container, as a CI job or a devcontainer session has.
# The default bridge network: no --network at all. The project at another path than on this
# machine, so a volume path relative to the TOML file must be translated. The same settings as
# on this machine: offline, Maven only uses artifacts fetched from repositories (ids) it knows.
start_maven_container() {
  CONTAINER=$1
  docker run -d --name "$CONTAINER" \
    -v /var/run/docker.sock:/var/run/docker.sock \
    -v "$REPO:/root/.m2/repository" \
    -v "$WORK/settings.xml:/root/.m2/settings.xml:ro" \
    -v "$WORK/project:$IN_CONTAINER" -w "$IN_CONTAINER" \
    "$MAVEN_IMAGE" sleep infinity >/dev/null
  [[ $(docker inspect -f '{{.HostConfig.NetworkMode}}' "$CONTAINER") == default ]] \
    || fail "the Maven container is not on the default bridge network"
}

# expect_networks WHAT NETWORKS: the Maven container is on exactly these networks ("bridge " and
# the names after it, each followed by a space). Cleanroom joins the build's container to a run's
# network and leaves it again before removing it; a network kept for reuse it stays on.
expect_networks() {
  local networks
  networks=$(docker inspect -f '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}' "$CONTAINER")
  [[ $networks == "$2" ]] || problem "$1: the Maven container is on the networks '$networks', not '$2'"
}

maven_in_container() {
  docker image inspect "$MAVEN_IMAGE" >/dev/null 2>&1 \
    || fail "no image $MAVEN_IMAGE. Perhaps you should run scripts/build-fixture-images.sh maven_jdk17"
  [[ ! -e $IN_CONTAINER ]] || fail "$IN_CONTAINER exists on this machine; the test needs a path that does not"
  local start=$SECONDS
  start_maven_container "cleanroom-env-it-maven-$$"
  local id
  id=$(docker inspect -f '{{.Id}}' "$CONTAINER")

  local log=$WORK/container-verify.log host
  if in_build "$log" "mvn -o verify inside container $CONTAINER (start, PostgresIT, stop)" \
      timeout "$BUILD_TIMEOUT" docker exec "$CONTAINER" mvn -B -ntp -o verify; then
    expect "$log" 'Tests run: 1, Failures: 0, Errors: 0, Skipped: 0.* in dev\.cleanroom\.envit\.PostgresIT' "PostgresIT inside the container"
    expect_once "$log" "^\[INFO\] Services are reached at their IP addresses on the run's network: this build runs in container ${id:0:12} of the Docker daemon " "detected in container ${id:0:12}"
    host=$(dialled_host "$log")
    if [[ -z $host || $host == 127.0.0.1 || $host == localhost ]]; then
      problem "PostgresIT inside the container dialled '$host': a loopback address there is the container's own"
    else
      say "PostgresIT reached PostgreSQL at $host from inside the container"
    fi
  fi

  log=$WORK/container-run.log
  if in_build "$log" "mvn -o cleanroom:run (health.http, a bind mount) inside the same container" \
      timeout "$BUILD_TIMEOUT" docker exec "$CONTAINER" mvn -B -ntp -o cleanroom:run -Dfile=src/test/cleanroom-web; then
    expect "$log" '\[INFO\] Step serves_the_mounted_file PASSED' "cleanroom:run inside the container"
    expect_once "$log" "^\[INFO\] Services are reached at their IP addresses on the run's network: this build runs in container ${id:0:12} of the Docker daemon " "cleanroom:run: detected in container ${id:0:12}"
  fi
  # An untranslated volume path is one the daemon looks for on ITS host, and creates there.
  [[ ! -e $IN_CONTAINER ]] \
    || problem "the daemon created $IN_CONTAINER on this machine: a volume path inside the container was not translated to its host path"

  expect_networks "after verify and cleanroom:run" "bridge "
  remove_maven_container
  expect_nothing_left default
  say "took $((SECONDS - start))s"
}

# The ids of the project's running containers (the reused ones), sorted, one line.
reused_ids() {
  docker ps -q --no-trunc --filter "label=$PROJECT_LABEL=$PROJECT" --filter label=dev.cleanroom.reuse | sort | tr '\n' ' '
}

# expect_reused LOG WHAT IDS: the build adopted db (its "Reused db (<short id>" line) and the
# project's running containers are still IDS.
expect_reused() {
  local log=$1 what=$2 ids=$3 db
  db=$(docker ps -q --no-trunc --filter "label=$PROJECT_LABEL=$PROJECT" --filter label=dev.cleanroom.service=db)
  expect "$log" "^\[INFO\] Reused db \(${db:0:12}, generic_container, cleanroom/postgres15:fixture\) of an earlier build" "$what adopted db"
  grep -q 'Service db (generic_container' "$log" && problem "$what started db afresh instead of adopting it: $log"
  [[ $(reused_ids) == "$ids" ]] || problem "$what: the project's containers are '$(reused_ids)', not the earlier '$ids'"
}

# ide_in_new_container NETWORK IDS HOST: the IDE's tests in a NEW container (a new devcontainer
# session, an IDE whose test JVM runs in another container than the terminal's mvn), after a left
# db running: the JUnit 5 extension finds the run in target/cleanroom/, whose exported address
# (HOST) is db's on NETWORK, which only containers on it reach; it must put its container on it.
# No Cleanroom goal runs: Surefire runs PostgresFromTheIde by name, as an IDE runs one class.
ide_in_new_container() {
  local network=$1 ids=$2 host=$3 log=$WORK/reuse-a2-ide.log dialled
  local own=dev.cleanroom.project=junit5:$IN_CONTAINER
  start_maven_container "cleanroom-env-it-maven-ide-$$"
  if in_build "$log" "reuse a2: PostgresFromTheIde with the JUnit 5 extension in a new container $CONTAINER (uses db that a left)" \
      timeout "$BUILD_TIMEOUT" docker exec "$CONTAINER" mvn -B -ntp -o test -Dtest=PostgresFromTheIde; then
    expect "$log" 'Tests run: 1, Failures: 0, Errors: 0, Skipped: 0.* in dev\.cleanroom\.envit\.PostgresFromTheIde' "reuse a2: PostgresFromTheIde"
    expect "$log" '^\[cleanroom\] src/test/cleanroom/db\.clnrm\.toml: used the services \[db\] of run reuse-[0-9a-f]+ that target/cleanroom/cleanroom\.properties names \(left running by cleanroom:start\) for PostgresFromTheIde; started nothing' "reuse a2: the extension used the run a left"
    dialled=$(sed -n 's#^PostgresFromTheIde connects to jdbc:postgresql://\([^:/]*\):.*#\1#p' "$log" | head -n 1)
    if [[ -n $host && $dialled == "$host" ]]; then
      say "reuse a2: PostgresFromTheIde reached the PostgreSQL a left at $dialled from a new container"
    else
      problem "reuse a2: PostgresFromTheIde dialled '$dialled', not the address a exported ('$host')"
    fi
  else
    grep -E '^\[cleanroom\]|PostgresFromTheIde connects to' "$log" >&2 || true
  fi
  expect_networks "reuse a2: the IDE's container after its tests" "bridge $network "
  remove_maven_container
  [[ $(reused_ids) == "$ids" ]] || problem "reuse a2: the project's containers are '$(reused_ids)', not the earlier '$ids'"
  [[ -z $(docker ps -aq --filter "label=$own") ]] || problem "reuse a2: the extension left containers of its own ($own)"
}

# The build on this machine, default daemon, with CI=true as some runners set it.
local_mvn() { (unset DOCKER_HOST; CI=true host_mvn "$@"); }

# Reuse across builds (issue #17) where the build runs in a container one time and on the daemon's
# host another: the scope is the project and the file's path relative to it, so the project at
# $IN_CONTAINER in the containers and at $WORK/project here is one scope. Every build passes
# -Dcleanroom.reuse=true with CI=true in its environment: the explicit setting wins over the CI
# detection (which alone turns reuse off), so the scenario holds on CI runners that set it.
reuse_across_containers() {
  local start=$SECONDS log ids host network
  local -a reuse=(-B -ntp -o verify -Dcleanroom.reuse=true)
  REUSE_LEFT=yes

  # a. A first build in a container starts PostgreSQL and leaves it running.
  start_maven_container "cleanroom-env-it-maven-reuse-a-$$"
  log=$WORK/reuse-a-container.log
  if in_build "$log" "reuse a: mvn -o verify -Dcleanroom.reuse=true in container $CONTAINER (starts db, leaves it)" \
      timeout "$BUILD_TIMEOUT" docker exec -e CI=true "$CONTAINER" mvn "${reuse[@]}"; then
    expect "$log" 'Tests run: 1, Failures: 0, Errors: 0, Skipped: 0.* in dev\.cleanroom\.envit\.PostgresIT' "reuse a: PostgresIT"
    expect "$log" '\[INFO\] reuse on: -Dcleanroom\.reuse=true' "reuse a: the explicit setting wins over CI=true"
    expect "$log" '\[INFO\] Left 1 service\(s\) of db\.clnrm\.toml running for the next build to reuse \(db ' "reuse a: db left running"
  fi
  # The network the services outlive each run on, which this build created and stays on (as on a
  # run kept with keepRunning: tests the IDE runs in this container reach what the build left).
  network=$(sed -n 's/^\[INFO\] Left 1 service(s) of db\.clnrm\.toml running .*; network \(clnrm-reuse-[0-9a-f]*\)).*/\1/p' "$log")
  [[ -n $network ]] || fail "reuse a did not say which network it left db on (see $log)"
  expect_networks "reuse a" "bridge $network "
  remove_maven_container
  ids=$(reused_ids)
  [[ -n $ids ]] || fail "reuse a left no running container of $PROJECT to reuse (see $log)"
  say "reuse a left running: $ids"

  ide_in_new_container "$network" "$ids" "$(dialled_host "$WORK/reuse-a-container.log")"

  # b. A NEW container (a second CI job, another devcontainer session) adopts it and reaches it:
  # it must join the network the first build created. The container stays up until after d, as a
  # devcontainer does while the host cleans, so d shows cleanroom:clean disconnecting it.
  start_maven_container "cleanroom-env-it-maven-reuse-b-$$"
  log=$WORK/reuse-b-container.log
  if in_build "$log" "reuse b: the same build in a new container $CONTAINER (adopts db)" \
      timeout "$BUILD_TIMEOUT" docker exec -e CI=true "$CONTAINER" mvn "${reuse[@]}"; then
    expect "$log" 'Tests run: 1, Failures: 0, Errors: 0, Skipped: 0.* in dev\.cleanroom\.envit\.PostgresIT' "reuse b: PostgresIT reaches the adopted db"
    host=$(dialled_host "$log")
    if [[ -z $host || $host == 127.0.0.1 || $host == localhost ]]; then
      problem "reuse b: PostgresIT inside the container dialled '$host': a loopback address there is the container's own"
    else
      say "reuse b: PostgresIT reached the adopted PostgreSQL at $host"
    fi
  else
    grep -E 'PostgresIT connects to|Reused|Services are reached' "$log" >&2 || true
  fi
  expect_reused "$log" "reuse b" "$ids"
  expect_networks "reuse b" "bridge $network "

  # c. This machine, the project at its path here: the same scope, reached through 127.0.0.1.
  log=$WORK/reuse-c-host.log
  if in_build "$log" "reuse c: the same build on this machine (adopts db, reaches it on 127.0.0.1)" \
      local_mvn "${reuse[@]}"; then
    expect "$log" 'Tests run: 1, Failures: 0, Errors: 0, Skipped: 0.* in dev\.cleanroom\.envit\.PostgresIT' "reuse c: PostgresIT reaches the adopted db"
    host=$(dialled_host "$log")
    if [[ $host == 127.0.0.1 ]]; then
      say "reuse c: PostgresIT reached the adopted PostgreSQL at $host"
    else
      problem "reuse c: PostgresIT on this machine dialled '$host', not 127.0.0.1"
    fi
  else
    grep -E 'PostgresIT connects to|Reused|Services are reached' "$log" >&2 || true
  fi
  expect_reused "$log" "reuse c" "$ids"

  # d. cleanroom:clean here removes the services, their network and any lock of the project.
  log=$WORK/reuse-d-clean.log
  if in_build "$log" "reuse d: mvn -o cleanroom:clean on this machine" \
      local_mvn -o cleanroom:clean; then
    REUSE_LEFT=
  fi
  expect_networks "reuse d: the container of reuse b after cleanroom:clean" "bridge "
  remove_maven_container
  rm -rf "$WORK/project/target"
  expect_nothing_left default
  remove_reused
  say "reuse across builds took $((SECONDS - start))s"
}

# Only these tests use the remote daemon: anything on it, labelled or not (a helper container of a
# check, a volume), was left by them.
expect_remote_empty() {
  local left
  left=$( { docker -H "$REMOTE" ps -aq --no-trunc | sed 's/^/container /'
            docker -H "$REMOTE" network ls -q --filter type=custom | sed 's/^/network /'
            docker -H "$REMOTE" volume ls -q | sed 's/^/volume /'; } 2>&1) \
    || { problem "could not list what is on the remote daemon: $left"; return 0; }
  if [[ -n $left ]]; then problem "the remote daemon is not empty after the builds: $left"; return 0; fi
  say "the remote daemon has no container, custom network or volume left"
}

# The build on this machine, its daemon the "remote" one.
remote_mvn() { DOCKER_HOST=$REMOTE host_mvn "$@"; }

remote_daemon() {
  DOCKER_HOST=$REMOTE timeout 10 docker info >/dev/null 2>&1 \
    || fail "no daemon answers on $REMOTE. Perhaps you should run scripts/remote-docker.sh up first"
  local start=$SECONDS log=$WORK/remote-verify.log host
  if in_build "$log" "mvn -o verify with DOCKER_HOST=$REMOTE (start, PostgresIT, stop)" \
      remote_mvn -o verify; then
    expect "$log" 'Tests run: 1, Failures: 0, Errors: 0, Skipped: 0.* in dev\.cleanroom\.envit\.PostgresIT' "PostgresIT against the remote daemon"
    expect_once "$log" "^\[INFO\] Services are reached at ${REMOTE_ADDRESS//./\\.}: the Docker daemon is on another host \(${REMOTE//./\\.}\)" "remote daemon detected"
    expect_once "$log" "^\[WARNING\] The services' ports are published on every address of the Docker daemon's host" "warned once of the published ports"
    host=$(dialled_host "$log")
    if [[ $host == "$REMOTE_ADDRESS" ]]; then
      say "PostgresIT reached PostgreSQL at $host"
    else
      problem "PostgresIT dialled '$host', not the remote daemon's host $REMOTE_ADDRESS"
    fi
  fi

  log=$WORK/remote-run.log
  if in_build "$log" "mvn -o cleanroom:run (health.http, a bind mount) with DOCKER_HOST=$REMOTE" \
      remote_mvn -o cleanroom:run -Dfile=src/test/cleanroom-web; then
    expect "$log" '\[INFO\] Step serves_the_mounted_file PASSED' "cleanroom:run against the remote daemon"
    expect_once "$log" "^\[INFO\] Services are reached at ${REMOTE_ADDRESS//./\\.}: the Docker daemon is on another host" "cleanroom:run: remote daemon detected"
  fi

  # The same cleanroom:run where the daemon does not share the directory (scripts/remote-docker.sh
  # hides it from the daemon): refused before any container starts, saying why.
  rm -rf "$UNSHARED_PROJECT"
  cp -r "$WORK/project" "$UNSHARED_PROJECT"
  rm -rf "$UNSHARED_PROJECT/target"
  log=$WORK/remote-unshared-run.log
  say "mvn -o cleanroom:run with DOCKER_HOST=$REMOTE of a project in a directory that daemon does not see"
  if POM=$UNSHARED_PROJECT/pom.xml remote_mvn -o cleanroom:run -Dfile=src/test/cleanroom-web >"$log" 2>&1; then
    problem "cleanroom:run of $UNSHARED_PROJECT passed: the remote daemon cannot see that directory, so its bind mount must be refused"
  else
    expect "$log" "Volume ${UNSHARED_PROJECT//./\\.}/src/test/cleanroom-web/www:/www cannot be mounted: the Docker daemon at ${REMOTE//./\\.} runs on another host and does not see ${UNSHARED_PROJECT//./\\.}/src/test/cleanroom-web/www .*Perhaps you should" "the refusal of a bind mount the remote daemon does not share"
    if grep -q 'Service web .* ready' "$log"; then problem "the service started before the bind mount was refused: $log"; fi
    ls -A "$UNSHARED_PROJECT/src/test/cleanroom-web/www" | grep -q '^\.cleanroom-mount-check' \
      && problem "the mount check left its marker file in $UNSHARED_PROJECT/src/test/cleanroom-web/www"
    say "refused, before any service container started"
  fi
  rm -rf "$UNSHARED_PROJECT"

  expect_nothing_left remote -H "$REMOTE"
  expect_remote_empty
  expect_nothing_left default
  say "took $((SECONDS - start))s"
}

case $MODE in
  maven-in-container) prepare; host_builds; maven_in_container; reuse_across_containers ;;
  remote-daemon) prepare; host_builds; remote_daemon ;;
  *) echo "usage: $0 maven-in-container|remote-daemon" >&2; exit 2 ;;
esac

if ((${#PROBLEMS[@]})); then
  echo "[env-it $MODE] FAILED: ${#PROBLEMS[@]} expectation(s):" >&2
  printf '  - %s\n' "${PROBLEMS[@]}" >&2
  exit 1
fi
say "PASSED"
