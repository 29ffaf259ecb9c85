#!/usr/bin/env bash
# Per-check latency of the HTTP and TCP health probes (issue target: under 100 ms a check).
# Starts one busybox httpd container on 127.0.0.1, runs 220 checks of each kind in one JVM
# (the first 20 warm up), prints median, p90 and max, and removes the container.
# Needs: a Docker daemon, cleanroom/busybox:fixture, and the engine built (./mvnw -q install -DskipTests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=$(mktemp -d)
cid=""
cleanup() { [[ -z $cid ]] || docker rm -f "$cid" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
./mvnw -q -B -o -pl cleanroom-engine dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="$(cat "$work/cp.txt"):cleanroom-engine/target/classes"
javac -d "$work" -cp "$cp" bench/health/HealthCheckLatency.java
cid=$(docker run -d --rm -p 127.0.0.1::8080 --label dev.cleanroom.bench=health-check-latency cleanroom/busybox:fixture \
  sh -c 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www')
port=$(docker port "$cid" 8080 | head -1 | sed 's/.*://')
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
java -cp "$cp:$work" HealthCheckLatency "$port"
