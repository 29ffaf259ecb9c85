#!/usr/bin/env bash
# Per-check latency of the HTTP and TCP health probes (issue target: under 100 ms a check), and of
# the surrealdb plugin's own health check (row 11c; issue 4: "well under 100 ms").
# Starts one busybox httpd container and one SurrealDB stand-in on 127.0.0.1, runs 220 checks of
# each kind in one JVM (the first 20 warm up), prints median, p90 and max, and removes the containers.
# Needs: a Docker daemon, cleanroom/busybox:fixture and cleanroom/surrealdb-standin:fixture
# (scripts/build-fixture-images.sh). It compiles the engine and plugins of this checkout and runs
# their target/classes, never a jar installed in ~/.m2.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=$(mktemp -d)
cids=()
cleanup() { for c in "${cids[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done; rm -rf "$work"; }
trap cleanup EXIT INT TERM
# Fully qualified: offline, Maven cannot resolve the `dependency:` prefix without plugin-group metadata.
./mvnw -q -B -o -pl cleanroom-engine,cleanroom-plugins compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null
# The last module's (the plugins') classpath; its dev.cleanroom jars are replaced by this checkout's classes.
cp="cleanroom-engine/target/classes:cleanroom-plugins/target/classes:$(tr ':' '\n' < "$work/cp.txt" | grep -v '/dev/cleanroom/' | paste -sd:)"
javac -d "$work" -cp "$cp" bench/health/HealthCheckLatency.java bench/health/SurrealDbHealthCheckLatency.java

await() { for _ in $(seq 100); do curl -sf "$1" >/dev/null && return; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

cid=$(docker run -d --rm -p 127.0.0.1::8080 --label dev.cleanroom.bench=health-check-latency cleanroom/busybox:fixture \
  sh -c 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www')
cids+=("$cid")
port=$(docker port "$cid" 8080 | head -1 | sed 's/.*://')
await "http://127.0.0.1:$port/"
java -cp "$cp:$work" HealthCheckLatency "$port"

# The command line the plugin gives the container (pinned by SurrealDbConfigTest), password as SURREAL_PASS.
sdb=$(docker run -d --rm -p 127.0.0.1::8000 -e SURREAL_PASS=bench-pass --label dev.cleanroom.bench=health-check-latency \
  cleanroom/surrealdb-standin:fixture start --user root --bind 0.0.0.0:8000 memory)
cids+=("$sdb")
sport=$(docker port "$sdb" 8000 | head -1 | sed 's/.*://')
await "http://127.0.0.1:$sport/health"
java -cp "$cp:$work" SurrealDbHealthCheckLatency "$work" "$sport" "$sdb"
