#!/usr/bin/env bash
# Make sure a Docker daemon answers on this machine.
#
# The machines this project runs on (and CI) start with only a Docker *client*
# (/usr/local/bin/docker, 28.x) and no daemon, and no systemd to start one.
# This script installs Debian's engine (docker.io, 20.10 / API 1.41) if needed,
# starts dockerd detached from this shell, and waits until it answers.
# The newer client negotiates the API version down, so 28.x <-> 20.10 works.
#
# Idempotent: a second run while dockerd is up (or still starting) only reports.
set -euo pipefail

readonly LOG=/var/log/cleanroom-dockerd.log
readonly WAIT_SECONDS=60

say() { echo "[docker-up] $*"; }
die() { echo "[docker-up] ERROR: $*" >&2; exit 1; }

daemon_answers() { docker info >/dev/null 2>&1; }

report() {
  # `docker version` exercises the client/server API negotiation, not just the socket.
  local v
  v=$(docker version --format 'server {{.Server.Version}} (API {{.Server.APIVersion}}, client {{.Client.Version}} using API {{.Client.APIVersion}})' 2>&1) \
    || die "daemon answers 'docker info' but 'docker version' fails: $v"
  say "$1: ${DOCKER_HOST:-unix:///var/run/docker.sock} $v"
}

command -v docker >/dev/null 2>&1 || die "no docker client on PATH"

if daemon_answers; then
  report "daemon already running"
  exit 0
fi

# A DOCKER_HOST that points somewhere else is the user's choice: starting a
# local daemon would not make that one answer.
case "${DOCKER_HOST:-}" in
  ""|unix:///var/run/docker.sock|unix:///run/docker.sock) ;;
  *) die "DOCKER_HOST=$DOCKER_HOST does not answer; not starting a local daemon for it" ;;
esac

if [[ $(id -u) -ne 0 ]]; then
  if pgrep -x dockerd >/dev/null 2>&1; then
    die "dockerd runs but does not answer you (permission on /var/run/docker.sock?). Join the docker group or run: sudo $0"
  fi
  die "no Docker daemon answers and starting one needs root. Run: sudo $0"
fi

if ! command -v dockerd >/dev/null 2>&1; then
  say "installing docker.io (Debian's Docker engine)"
  # The lock timeout lets us queue behind another apt/dpkg run instead of failing.
  # apt's chatter (debconf, needrestart) is shown only if the install fails.
  out=$( { apt-get -qq -o DPkg::Lock::Timeout=300 update &&
    DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=300 \
      install -y docker.io; } </dev/null 2>&1) || { echo "$out" >&2; die "apt-get install docker.io failed"; }
  command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd not found"
fi

# Start it only if no dockerd is running yet (it may still be starting up from
# an earlier call; a second one would fight over the pid file and socket).
if pgrep -x dockerd >/dev/null 2>&1; then
  say "dockerd already running (pid $(pgrep -x dockerd | head -1)), waiting for it"
else
  say "starting dockerd (log: $LOG)"
  # setsid + nohup: own session, immune to SIGHUP and to CI killing our process
  # group, so the daemon outlives this script.
  setsid nohup dockerd >>"$LOG" 2>&1 </dev/null &
  disown || true
fi

for ((i = 0; i < WAIT_SECONDS; i++)); do
  if daemon_answers; then
    report "daemon up after ${i}s"
    exit 0
  fi
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    tail -n 20 "$LOG" >&2 || true
    die "dockerd exited; see $LOG"
  fi
  sleep 1
done

tail -n 20 "$LOG" >&2 || true
die "dockerd did not answer within ${WAIT_SECONDS}s; see $LOG"
