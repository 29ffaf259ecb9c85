#!/usr/bin/env bash
# Undo scripts/podman-up.sh after the Podman tests: report and remove anything a Cleanroom run
# left in Podman (labelled dev.cleanroom.project), then stop the service podman-up.sh started.
# containers.conf and the loaded images stay (the next run reuses them).
# Exits 1 when something was left behind, so the build fails on a leak.
set -uo pipefail

readonly SOCKET=/run/podman/podman.sock
readonly PIDFILE=/run/podman/cleanroom-service.pid

say() { echo "[podman-down] $*"; }

rc=0
if command -v podman >/dev/null 2>&1; then
  containers=$(podman ps -aq --filter label=dev.cleanroom.project 2>/dev/null || true)
  networks=$(podman network ls -q --filter label=dev.cleanroom.project 2>/dev/null || true)
  if [[ -n $containers || -n $networks ]]; then
    say "FAILED: left behind in Podman (removing them now):"
    podman ps -a --filter label=dev.cleanroom.project || true
    podman network ls --filter label=dev.cleanroom.project || true
    # shellcheck disable=SC2086  # one id per word
    [[ -z $containers ]] || podman rm -f $containers >/dev/null || true
    # shellcheck disable=SC2086
    [[ -z $networks ]] || podman network rm -f $networks >/dev/null || true
    rc=1
  fi
fi

if [[ -f $PIDFILE ]]; then
  pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null; then
    say "stopping podman system service (pid $pid)"
    kill "$pid"
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$PIDFILE" "$SOCKET"
fi
exit "$rc"
