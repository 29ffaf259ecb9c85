#!/usr/bin/env bash
# Start a private registry for the registry tests (RegistryCredentialsIT, the invoker project
# private-registry-settings): Debian's docker-registry (distribution 2.8) on 127.0.0.1:PORT
# with htpasswd authentication, holding 127.0.0.1:PORT/private/busybox:1 (the busybox fixture)
# and 127.0.0.1:PORT/private/alpine:1 (the alpine stand-in), so cleanroom:pull has two to pull.
#
# The Docker daemon treats 127.0.0.0/8 registries as plain HTTP, so no TLS is needed. The push
# logs in with a temporary DOCKER_CONFIG (never this machine's ~/.docker/config.json), which is
# removed afterwards, and so is the local copy of the pushed tag: the tests really pull.
#
# One user per credential source, so a test can tell which source supplied the credentials;
# the passwords are test fixtures (RegistryCredentialsIT has the same), valid only here.
# Prints the registry's address (127.0.0.1:PORT) last. Arguments: none. Environment:
# CLEANROOM_REGISTRY_PORT (default 5055), CLEANROOM_REGISTRY_DIR (default /tmp/cleanroom-registry).
set -euo pipefail

readonly PORT=${CLEANROOM_REGISTRY_PORT:-5055}
readonly DIR=${CLEANROOM_REGISTRY_DIR:-/tmp/cleanroom-registry}
readonly ADDRESS=127.0.0.1:$PORT
# fixture image => the private name it is pushed as
readonly -A PUSHES=(
  [cleanroom/busybox:fixture]=$ADDRESS/private/busybox:1
  [cleanroom/alpine-standin:fixture]=$ADDRESS/private/alpine:1
)
readonly WAIT_SECONDS=30
# user:password, one line each: who pushes, then one user per source the tests try.
readonly USERS=(
  "pusher:pusher-pw-5bd1"
  "helper-user:helper-pw-93c2"
  "authconfig-user:authconfig-pw-1f7e"
  "settings-user:settings-pw-c40a"
)

say() { echo "[registry-up] $*"; }
die() { echo "[registry-up] ERROR: $*" >&2; exit 1; }

answers() { curl -s -o /dev/null -w '%{http_code}' "http://$ADDRESS/v2/" 2>/dev/null | grep -q 401; }

if ! command -v docker-registry >/dev/null 2>&1 || ! command -v htpasswd >/dev/null 2>&1; then
  say "installing Debian's docker-registry and apache2-utils"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry apache2-utils >/dev/null
fi
for fixture in "${!PUSHES[@]}"; do
  docker image inspect "$fixture" >/dev/null 2>&1 || die "$fixture is missing: run scripts/build-fixture-images.sh first"
done

if answers; then
  say "a registry already answers on $ADDRESS"
else
  mkdir -p "$DIR/data"
  : >"$DIR/htpasswd"
  for user in "${USERS[@]}"; do
    htpasswd -Bb "$DIR/htpasswd" "${user%%:*}" "${user#*:}" 2>/dev/null
  done
  cat >"$DIR/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $DIR/data
  delete:
    enabled: true
http:
  addr: $ADDRESS
auth:
  htpasswd:
    realm: cleanroom-test
    path: $DIR/htpasswd
CONF
  say "starting docker-registry on $ADDRESS (log: $DIR/registry.log)"
  # setsid: the registry must not die with this shell, nor take the caller's terminal signals.
  setsid docker-registry serve "$DIR/config.yml" >"$DIR/registry.log" 2>&1 </dev/null &
  echo $! >"$DIR/registry.pid"
  for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
    answers && break
    kill -0 "$(cat "$DIR/registry.pid")" 2>/dev/null || { tail -20 "$DIR/registry.log" >&2; die "docker-registry exited"; }
    sleep 0.1
  done
  answers || { tail -20 "$DIR/registry.log" >&2; die "the registry does not answer on $ADDRESS after ${WAIT_SECONDS}s"; }
fi

login=$(mktemp -d)
trap 'rm -rf "$login"' EXIT
echo "${USERS[0]#*:}" | DOCKER_CONFIG=$login docker login -u "${USERS[0]%%:*}" --password-stdin "$ADDRESS" >/dev/null
for fixture in "${!PUSHES[@]}"; do
  image=${PUSHES[$fixture]}
  say "pushing $image (logged in with a temporary DOCKER_CONFIG)"
  docker tag "$fixture" "$image"
  DOCKER_CONFIG=$login docker push "$image" >/dev/null
  docker rmi "$image" >/dev/null
done
DOCKER_CONFIG=$login docker logout "$ADDRESS" >/dev/null
say "ready: $ADDRESS holds private/busybox:1 and private/alpine:1"
echo "$ADDRESS"
