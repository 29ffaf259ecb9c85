#!/usr/bin/env bash
# A "remote" Docker daemon on this machine, for the tests of a daemon on another host
# (what a GitLab docker:dind service or a DOCKER_HOST=tcp://... gives a build).
#
#   scripts/remote-docker.sh up     network namespace + veth pair, a second dockerd inside it
#                                   listening on tcp://10.231.7.2:2375, the fixture images loaded
#   scripts/remote-docker.sh down   stops that dockerd and removes everything `up` made:
#                                   its containers, data and state directories, the namespace
#   scripts/remote-docker.sh status prints what exists; exits 0 only if the daemon answers
#
# The daemon is "remote" where it matters: ports it publishes are in its namespace, reachable
# from here at 10.231.7.2 when published on 0.0.0.0 and NOT when published on 127.0.0.1.
# It shares this machine's filesystem (like GitLab's dind shares the project directory), so
# bind mounts of local paths work, except under /var/tmp/cleanroom-remote-unshared, which it
# does not see (for the refusal test). Needs root. Only ever talks to the addresses it chose.
set -euo pipefail

readonly NETNS=cleanroom-remote
readonly VETH_HOST=crremote0 VETH_NS=crremote1
readonly HOST_ADDRESS=10.231.7.1 DAEMON_ADDRESS=10.231.7.2 PREFIX=24
readonly PORT=2375
readonly DATA_ROOT=/var/lib/cleanroom-remote-docker
readonly EXEC_ROOT=/var/run/cleanroom-remote-docker
readonly PIDFILE=/var/run/cleanroom-remote-docker.pid
readonly SOCKET=/var/run/cleanroom-remote-docker.sock
readonly LOG=/var/log/cleanroom-remote-dockerd.log
readonly WAIT_SECONDS=60
# A directory of this machine the daemon does NOT share: in its own mount namespace a tmpfs
# hides it, as a remote host that shares nothing would. Tests put a project here to see a bind
# mount refused.
readonly UNSHARED_DIR=/var/tmp/cleanroom-remote-unshared
# What the tests run there; loaded from the default daemon (no registry is reachable).
readonly IMAGES=(cleanroom/busybox:fixture cleanroom/postgres15:fixture)
export DOCKER_HOST_REMOTE=tcp://$DAEMON_ADDRESS:$PORT

say() { echo "[remote-docker] $*"; }
die() { echo "[remote-docker] ERROR: $*" >&2; exit 1; }

remote() { docker -H "$DOCKER_HOST_REMOTE" "$@"; }
answers() { timeout 10 docker -H "$DOCKER_HOST_REMOTE" info >/dev/null 2>&1; }
netns_exists() { ip netns list | grep -qw "^$NETNS"; }
daemon_pid() { [[ -s $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && cat "$PIDFILE"; }

up() {
  [[ $(id -u) -eq 0 ]] || die "needs root (a network namespace and a second dockerd). Run: sudo $0 up"
  command -v dockerd >/dev/null || die "no dockerd; run scripts/docker-up.sh first"
  if answers; then say "already up: $DOCKER_HOST_REMOTE"; return 0; fi
  # Whatever a crashed earlier run left would make `ip link add` or dockerd fail.
  down_quietly

  say "network namespace $NETNS: $VETH_HOST $HOST_ADDRESS/$PREFIX <-> $VETH_NS $DAEMON_ADDRESS/$PREFIX"
  ip netns add "$NETNS"
  ip link add "$VETH_HOST" type veth peer name "$VETH_NS"
  ip link set "$VETH_NS" netns "$NETNS"
  ip addr add "$HOST_ADDRESS/$PREFIX" dev "$VETH_HOST"
  ip link set "$VETH_HOST" up
  ip netns exec "$NETNS" ip addr add "$DAEMON_ADDRESS/$PREFIX" dev "$VETH_NS"
  ip netns exec "$NETNS" ip link set "$VETH_NS" up
  ip netns exec "$NETNS" ip link set lo up

  # nsenter, not `ip netns exec`: the latter remounts /sys, which hides the cgroups from dockerd
  # ("Devices cgroup isn't mounted"). Its own data, exec root (and so its own containerd),
  # pidfile and socket keep it apart from the default daemon; its bridge docker0 and iptables
  # rules live in the namespace, so they clash with nothing here.
  say "starting dockerd in $NETNS on $DOCKER_HOST_REMOTE and unix://$SOCKET (log: $LOG)"
  mkdir -p "$DATA_ROOT" "$EXEC_ROOT" "$UNSHARED_DIR"
  # Its own mount namespace (slave: it still sees what is mounted here later) with a tmpfs over
  # $UNSHARED_DIR; everything else of this machine's filesystem it shares.
  setsid nsenter --net="/var/run/netns/$NETNS" unshare --mount --propagation slave \
    sh -c 'mount -t tmpfs -o size=1m cleanroom-unshared "$0" && exec "$@"' "$UNSHARED_DIR" dockerd \
    --data-root "$DATA_ROOT" --exec-root "$EXEC_ROOT" --pidfile "$PIDFILE" \
    -H "tcp://$DAEMON_ADDRESS:$PORT" -H "unix://$SOCKET" \
    </dev/null >"$LOG" 2>&1 &
  local waited=0
  until answers; do
    ((waited < WAIT_SECONDS)) || { tail -n 30 "$LOG" >&2; die "the second dockerd did not answer on $DOCKER_HOST_REMOTE within ${WAIT_SECONDS}s (log above)"; }
    sleep 1
    ((++waited))
  done
  say "up in ${waited}s: $(remote version --format 'server {{.Server.Version}} (API {{.Server.APIVersion}})')"

  local start=$SECONDS
  docker save "${IMAGES[@]}" | remote load -q >/dev/null \
    || die "could not load ${IMAGES[*]} into it (build them with scripts/build-fixture-images.sh)"
  say "loaded ${IMAGES[*]} in $((SECONDS - start))s"
}

# Stops the daemon (which removes what it runs), then removes what it and `up` made.
down_quietly() {
  local pid waited=0
  if answers; then
    # Containers a failed test left: removed here, but the tests report them first.
    remote ps -aq | xargs -r docker -H "$DOCKER_HOST_REMOTE" rm -f >/dev/null 2>&1 || true
  fi
  if pid=$(daemon_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((waited < 30)); do sleep 1; ((++waited)); done
    if kill -0 "$pid" 2>/dev/null; then
      say "dockerd $pid did not stop within 30s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
    fi
  fi
  # Its containerd and shims die with it; any that did not are ours by their exec root.
  local leftover
  for leftover in $(pgrep -f -- "$EXEC_ROOT/" || true); do kill -KILL "$leftover" 2>/dev/null || true; done
  # Mounts under its directories (overlay layers, netns files) must go before the directories.
  local mount
  for mount in $(awk -v a="$DATA_ROOT" -v b="$EXEC_ROOT" '$5 == a || index($5, a "/") == 1 || $5 == b || index($5, b "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
    umount -l "$mount" 2>/dev/null || true
  done
  rm -rf "$DATA_ROOT" "$EXEC_ROOT" "$UNSHARED_DIR"
  rm -f "$PIDFILE" "$SOCKET"
  if netns_exists; then ip netns del "$NETNS"; fi
  # Deleting the namespace deletes the pair, but not always before the next command looks.
  local waited_link=0
  while ip link show "$VETH_HOST" >/dev/null 2>&1 && ((waited_link < 5)); do
    ip link del "$VETH_HOST" 2>/dev/null || sleep 1
    ((++waited_link))
  done
}

down() {
  [[ $(id -u) -eq 0 ]] || die "needs root. Run: sudo $0 down"
  down_quietly
  # Say what remains, if anything, so a leak shows in the log and fails the caller.
  local remains=()
  netns_exists && remains+=("network namespace $NETNS")
  ip link show "$VETH_HOST" >/dev/null 2>&1 && remains+=("link $VETH_HOST")
  daemon_pid >/dev/null && remains+=("dockerd $(cat "$PIDFILE")")
  [[ -e $DATA_ROOT || -e $EXEC_ROOT || -e $UNSHARED_DIR ]] && remains+=("$DATA_ROOT, $EXEC_ROOT or $UNSHARED_DIR")
  ((${#remains[@]} == 0)) || die "still there after down: ${remains[*]}"
  say "down: no dockerd, namespace, link or directory of it remains"
}

status() {
  netns_exists && say "network namespace $NETNS exists" || say "no network namespace $NETNS"
  if answers; then say "dockerd answers on $DOCKER_HOST_REMOTE"; remote ps -a; return 0; fi
  say "no dockerd answers on $DOCKER_HOST_REMOTE"
  return 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) die "usage: $0 up|down|status" ;;
esac
