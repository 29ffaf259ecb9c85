#!/usr/bin/env bash
# Make sure a rootful Podman API service answers on /run/podman/podman.sock, with the
# fixture images the Podman tests use (PodmanIT, PodmanReuseIT).
#
# Installs Debian's podman (4.3) when missing; writes /etc/containers/containers.conf only
# when there is none (these machines refuse Podman's default rlimits and crun's cgroup mode,
# see ../shared/ENVIRONMENT.md; a machine's own file is never touched); starts
# `podman system service` detached when the socket does not answer (its pid goes to
# /run/podman/cleanroom-service.pid so scripts/podman-down.sh stops only what this started);
# copies the images from the Docker daemon (`docker save | podman load`; Podman names them
# localhost/<name>, and a Docker-API create of <name> still finds them).
#
# Idempotent. Arguments: images to load (default: the busybox fixture).
set -euo pipefail

readonly SOCKET=/run/podman/podman.sock
readonly PIDFILE=/run/podman/cleanroom-service.pid
readonly LOG=/var/log/cleanroom-podman.log
readonly CONF=/etc/containers/containers.conf
readonly WAIT_SECONDS=30

say() { echo "[podman-up] $*"; }
die() { echo "[podman-up] ERROR: $*" >&2; exit 1; }

answers() { docker -H "unix://$SOCKET" version >/dev/null 2>&1; }

if ! command -v podman >/dev/null 2>&1; then
  say "installing Debian's podman"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman >/dev/null
fi

if [[ ! -e $CONF ]]; then
  say "writing $CONF (ulimits these machines allow, runc)"
  mkdir -p "$(dirname "$CONF")"
  cat >"$CONF" <<'CONF'
# Written by Cleanroom's scripts/podman-up.sh because none existed: this machine refuses
# Podman's default rlimits ("error setting rlimit type 7/6") and crun's cgroup mode.
[containers]
default_ulimits = ["nofile=10000:10000", "nproc=10000:10000"]

[engine]
runtime = "runc"
CONF
fi

if answers; then
  say "Podman already answers on $SOCKET"
else
  mkdir -p "$(dirname "$SOCKET")"
  say "starting podman system service on unix://$SOCKET (log: $LOG)"
  # setsid: the service must not die with this shell, nor take the caller's terminal signals.
  setsid podman system service --time=0 "unix://$SOCKET" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
    answers && break
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -20 "$LOG" >&2; die "podman system service exited"; }
    sleep 0.1
  done
  answers || { tail -20 "$LOG" >&2; die "Podman does not answer on $SOCKET after ${WAIT_SECONDS}s"; }
fi

images=("$@")
((${#images[@]} > 0)) || images=(cleanroom/busybox:fixture)
for image in "${images[@]}"; do
  if podman image exists "$image"; then
    continue
  fi
  docker image inspect "$image" >/dev/null 2>&1 || die "$image is not on the Docker daemon: run scripts/build-fixture-images.sh first"
  say "loading $image into Podman"
  docker save "$image" | podman load -q >/dev/null
done
say "ready: $(docker -H "unix://$SOCKET" version --format 'Podman {{.Server.Version}}, API {{.Server.APIVersion}}')"
