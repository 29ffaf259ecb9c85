#!/usr/bin/env bash
# Stop the registry scripts/registry-up.sh started (by its pid file only) and remove its
# directory (storage, htpasswd, config). Idempotent. Environment: CLEANROOM_REGISTRY_DIR.
set -euo pipefail

readonly DIR=${CLEANROOM_REGISTRY_DIR:-/tmp/cleanroom-registry}

if [[ -f $DIR/registry.pid ]]; then
  pid=$(cat "$DIR/registry.pid")
  if kill -0 "$pid" 2>/dev/null; then
    echo "[registry-down] stopping docker-registry (pid $pid)"
    kill "$pid"
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
fi
rm -rf "$DIR"
