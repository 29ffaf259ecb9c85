#!/usr/bin/env bash
# Start+stop through a docker context against DOCKER_HOST on the same socket (issue 14 target:
# within 0.1 s). Each run is a fresh JVM that starts one busybox httpd service (published port,
# HTTP health check) and stops it, with the engine and plugins of this checkout
# (target/classes, never a jar in ~/.m2). The two ways alternate, their order swapped every
# round, after one warm-up round; it prints every sample and the medians.
#
# Usage: bench/docker-context.sh [ROUNDS]   (default 9; needs a Docker daemon on
# /var/run/docker.sock and cleanroom/busybox:fixture)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROUNDS=${1:-9}
readonly SOCKET=unix:///var/run/docker.sock
readonly PROJECT="bench-context-$$"

docker -H "$SOCKET" info >/dev/null 2>&1 || { echo "no daemon on $SOCKET: run scripts/docker-up.sh" >&2; exit 1; }
docker -H "$SOCKET" image inspect cleanroom/busybox:fixture >/dev/null 2>&1 \
  || { echo "no cleanroom/busybox:fixture: run scripts/build-fixture-images.sh" >&2; exit 1; }

work=$(mktemp -d)
cleanup() {
  local left
  left=$(docker -H "$SOCKET" ps -aq --filter "label=dev.cleanroom.project=$PROJECT")
  [[ -z $left ]] || { echo "left behind (removing): $left" >&2; docker -H "$SOCKET" rm -f $left >/dev/null; }
  rm -rf "$work"
}
trap cleanup EXIT

# Fully qualified: offline, Maven cannot resolve the `dependency:` prefix without plugin-group metadata.
./mvnw -q -B -o -pl cleanroom-engine,cleanroom-plugins compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="cleanroom-engine/target/classes:cleanroom-plugins/target/classes:$(tr ':' '\n' < "$work/cp.txt" | grep -v '/dev/cleanroom/' | paste -sd:)"
javac -d "$work" -cp "$cp" bench/context/StartStop.java

# What `docker context create bench --docker host=unix:///var/run/docker.sock` + `docker context use bench` write.
hash=$(printf %s bench | sha256sum | cut -d' ' -f1)
mkdir -p "$work/config/contexts/meta/$hash" "$work/home"
printf '{"Name":"bench","Metadata":{},"Endpoints":{"docker":{"Host":"%s","SkipTLSVerify":false}}}' "$SOCKET" \
  >"$work/config/contexts/meta/$hash/meta.json"
echo '{"currentContext":"bench"}' >"$work/config/config.json"
cat >"$work/one.clnrm.toml" <<'TOML'
[services.web]
type = "generic_container"
image = "cleanroom/busybox:fixture"
command = ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
ports = ["8080"]
health.http = "/"
TOML

# run WAY [JVM OPTION]: one start+stop; prints its wall time in ms. An empty HOME, so no
# ~/.testcontainers.properties counts.
run() {
  local start out jvm=${2:--Dnothing}
  start=$(date +%s%N)
  if [[ $1 == context ]]; then
    out=$(env -u DOCKER_HOST -u DOCKER_CONTEXT HOME="$work/home" DOCKER_CONFIG="$work/config" \
      java "$jvm" -Duser.home="$work/home" -cp "$cp:$work" StartStop "$work/one.clnrm.toml" "$PROJECT")
  else
    out=$(env -u DOCKER_CONTEXT HOME="$work/home" DOCKER_HOST="$SOCKET" DOCKER_CONFIG="$work/home/none" \
      java "$jvm" -Duser.home="$work/home" -cp "$cp:$work" StartStop "$work/one.clnrm.toml" "$PROJECT")
  fi
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  case $1 in
    context) [[ $out == *'(docker context "bench")'* ]] || { echo "not found through the context: $out" >&2; exit 1; } ;;
    *) [[ $out == "Docker daemon at $SOCKET, API version"* ]] || { echo "not DOCKER_HOST: $out" >&2; exit 1; } ;;
  esac
  echo "$ms"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# Classes each way loads: what the time difference would come from, without the machine's noise.
for way in host context; do
  run "$way" "-Xlog:class+load=info:file=$work/classes-$way.log" >/dev/null
  echo "classes loaded, $way: $(grep -c . "$work/classes-$way.log") ($(grep -c com.github.dockerjava "$work/classes-$way.log" || true) of docker-java)"
done

run host >/dev/null; run context >/dev/null   # warm-up: page cache, image layers
host=() context=() paired=()
for ((i = 1; i <= ROUNDS; i++)); do
  if ((i % 2)); then host+=("$(run host)"); context+=("$(run context)")
  else context+=("$(run context)"); host+=("$(run host)"); fi
  paired+=($((context[-1] - host[-1])))
  echo "round $i: DOCKER_HOST ${host[-1]} ms, docker context ${context[-1]} ms"
done
mh=$(printf '%s\n' "${host[@]}" | median)
mc=$(printf '%s\n' "${context[@]}" | median)
mp=$(printf '%s\n' "${paired[@]}" | median)
echo "median over $ROUNDS rounds: DOCKER_HOST $mh ms, docker context $mc ms, difference $((mc - mh)) ms;" \
  "paired (context - DOCKER_HOST within each round) $mp ms (target: within 100 ms)"
