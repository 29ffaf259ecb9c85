#!/usr/bin/env bash
# Reuse across builds (issue #17): the start phase of a second `mvn verify -Dcleanroom.reuse=true`
# (which adopts the running services) against the first (which starts them cold), and one
# PostgreSQL service cold against reused. Target: second / first <= 0.1x.
#
#   bench/reuse.sh          # 3 rounds
#   bench/reuse.sh -n 5     # 5 rounds
#
# Each round: cleanroom:clean, then two builds of a project with one PostgreSQL service
# (cleanroom/postgres15:fixture, health.command pg_isready) and one busybox service. The start
# phase is the time from the `cleanroom:start` line of Maven's log to the next goal's line
# (Maven's log with timestamps); the service rows are the engine's own "ready in" figures.
# Two floor rows show what a reused start cannot go below: R0, Maven's own part (the same build
# with -Dcleanroom.skip=true: the plugin's set-up and its goal, no Cleanroom work), and R3, one run
# of db's health command (pg_isready) by exec through the Docker API (create, start, inspect; curl's
# own timings, so no process start is counted), which an adoption must do once.
# Needs docker, curl, the fixture images (scripts/build-fixture-images.sh) and the plugin in a local
# repository: cleanroom-maven-plugin/target/local-repo (left by any invoker run, e.g.
# ./mvnw -B -o -pl cleanroom-maven-plugin -am verify -DskipTests -Dinvoker.test=reuse-across-builds),
# else ~/.m2 (REPO=... to choose). Writes only under target/bench/reuse/.
set -euo pipefail

rounds=3
while getopts "n:" option; do
    case $option in
        n) rounds=$OPTARG ;;
        *) echo "usage: $0 [-n rounds]" >&2; exit 2 ;;
    esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=${REPO:-$root/cleanroom-maven-plugin/target/local-repo}
[[ -d $repo/dev/cleanroom/cleanroom-maven-plugin ]] || repo=$HOME/.m2/repository
version=$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' "$root/pom.xml" | head -1)
[[ -d $repo/dev/cleanroom/cleanroom-maven-plugin/$version ]] || {
    echo "cleanroom-maven-plugin $version is not in $repo; run an invoker project first (see the header)" >&2
    exit 1
}
for image in cleanroom/postgres15:fixture cleanroom/busybox:fixture; do
    docker image inspect "$image" >/dev/null 2>&1 || { echo "missing $image: scripts/build-fixture-images.sh" >&2; exit 1; }
done

work=$root/target/bench/reuse
rm -rf "$work"
mkdir -p "$work/project/src/test/cleanroom" "$work/logs"
cat > "$work/project/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.cleanroom.bench</groupId>
  <artifactId>reuse</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <build>
    <plugins>
      <plugin>
        <groupId>dev.cleanroom</groupId>
        <artifactId>cleanroom-maven-plugin</artifactId>
        <version>$version</version>
        <executions><execution><goals><goal>start</goal><goal>run</goal><goal>stop</goal></goals></execution></executions>
      </plugin>
    </plugins>
  </build>
</project>
POM
cat > "$work/project/src/test/cleanroom/db.clnrm.toml" <<'TOML'
[services.db]
type = "generic_container"
image = "cleanroom/postgres15:fixture"
ports = ["5432"]
health.command = ["pg_isready", "-q", "-h", "127.0.0.1"]

[services.box]
type = "generic_container"
image = "cleanroom/busybox:fixture"
command = ["sleep", "infinity"]
depends_on = ["db"]

[[steps]]
name = "db_answers"
service = "db"
command = ["pg_isready", "-h", "127.0.0.1"]
expected_output_regex = "accepting connections"
TOML

mvn_run() { # log-file goals...
    local log=$1
    shift
    (cd "$work/project" && "$root/mvnw" -B -o -s "$root/src/it/settings.xml" -Dmaven.repo.local="$repo" \
        -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
        "$@" >"$log" 2>&1) || { echo "mvn $* failed; see $log" >&2; exit 1; }
}

# Milliseconds from the cleanroom:start line to the next goal's line.
start_phase_ms() {
    awk '
        function ms(t,  p) { split(t, p, /[:.]/); return ((p[1] * 60 + p[2]) * 60 + p[3]) * 1000 + p[4] }
        / --- / && begin != "" && end == "" { end = ms($1) }
        / --- cleanroom:.*:start / { begin = ms($1) }
        END { print end - begin }' "$1"
}

# Milliseconds from the engine's first line of the start (its reuse decision) to the next goal's
# line: the start phase without the plugin's class loading, file reading and Docker connection.
engine_start_ms() {
    awk '
        function ms(t,  p) { split(t, p, /[:.]/); return ((p[1] * 60 + p[2]) * 60 + p[3]) * 1000 + p[4] }
        / --- / && begin != "" && end == "" { end = ms($1) }
        / reuse on: / && begin == "" { begin = ms($1) }
        END { print end - begin }' "$1"
}

# The engine's figure for db: "Service db (...) ready in X" or "Reused db (...); ready in X", in ms.
db_ready_ms() {
    grep -E '(Service db \(|Reused db \().*ready in ' "$1" | head -1 \
        | sed -E 's/.*ready in ([0-9.]+) (ms|s).*/\1 \2/' \
        | awk '{ print ($2 == "s") ? $1 * 1000 : $1 }'
}

# One exec of db's health command through the Docker API, as an adoption's health check runs it:
# the sum of curl's own times for create, start (attached, to its end) and inspect, in ms.
health_exec_ms() {
    local socket=${DOCKER_HOST:-unix:///var/run/docker.sock}
    socket=${socket#unix://}
    local db
    db=$(docker ps -q --filter label=dev.cleanroom.project=dev.cleanroom.bench:reuse --filter label=dev.cleanroom.service=db)
    [[ -n $db ]] || { echo "no running db to exec in" >&2; exit 1; }
    local api=http://docker/containers/$db/exec created exec_id t1 t2 t3
    created=$(curl -sf --unix-socket "$socket" -H 'Content-Type: application/json' -w '\n%{time_total}' \
        -d '{"Cmd":["pg_isready","-q","-h","127.0.0.1"],"AttachStdout":true,"AttachStderr":true}' "$api")
    exec_id=$(head -1 <<<"$created" | sed 's/.*"Id":"\([0-9a-f]*\)".*/\1/')
    t1=$(tail -1 <<<"$created")
    t2=$(curl -sf --unix-socket "$socket" -H 'Content-Type: application/json' -o /dev/null -w '%{time_total}' \
        -d '{"Detach":false,"Tty":false}' "http://docker/exec/$exec_id/start")
    t3=$(curl -sf --unix-socket "$socket" -o "$work/exec.json" -w '%{time_total}' "http://docker/exec/$exec_id/json")
    grep -q '"ExitCode":0' "$work/exec.json" || { echo "pg_isready failed in db: $(cat "$work/exec.json")" >&2; exit 1; }
    awk -v a="$t1" -v b="$t2" -v c="$t3" 'BEGIN { printf "%d\n", (a + b + c) * 1000 + 0.5 }'
}

printf 'round\tstart1_ms\tstart2_ms\tdb_cold_ms\tdb_reused_ms\tengine1_ms\tengine2_ms\tskipped_ms\texec_ms\n' > "$work/raw.tsv"
for round in $(seq 1 "$rounds"); do
    mvn_run "$work/logs/clean-$round.log" "dev.cleanroom:cleanroom-maven-plugin:$version:clean"
    mvn_run "$work/logs/first-$round.log" verify -Dcleanroom.reuse=true
    mvn_run "$work/logs/second-$round.log" verify -Dcleanroom.reuse=true
    grep -q 'Reused db (' "$work/logs/second-$round.log" || { echo "round $round: the second build did not reuse db" >&2; exit 1; }
    mvn_run "$work/logs/skipped-$round.log" verify -Dcleanroom.skip=true
    exec_ms=$(health_exec_ms)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" \
        "$(start_phase_ms "$work/logs/first-$round.log")" "$(start_phase_ms "$work/logs/second-$round.log")" \
        "$(db_ready_ms "$work/logs/first-$round.log")" "$(db_ready_ms "$work/logs/second-$round.log")" \
        "$(engine_start_ms "$work/logs/first-$round.log")" "$(engine_start_ms "$work/logs/second-$round.log")" \
        "$(start_phase_ms "$work/logs/skipped-$round.log")" "$exec_ms" \
        >> "$work/raw.tsv"
done
mvn_run "$work/logs/clean-end.log" "dev.cleanroom:cleanroom-maven-plugin:$version:clean"

awk -F'\t' -v rounds="$rounds" '
    NR > 1 { s1[NR] = $2; s2[NR] = $3; c[NR] = $4; r[NR] = $5; e1[NR] = $6; e2[NR] = $7; k[NR] = $8; h[NR] = $9; n++ }
    function median(a,  k, v, i, j, t) { k = 0; for (i in a) v[++k] = a[i]
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
    END {
        a = median(s1); b = median(s2); x = median(c); y = median(r); p = median(e1); q = median(e2)
        m = median(k); g = median(h)
        printf "Reuse across builds, median of %d rounds\n", n
        printf "| row | what | first (cold) | second (reused) | ratio | target |\n|-----|------|------|------|------|------|\n"
        printf "| R1 | start phase of mvn verify (cleanroom:start) | %d ms | %d ms | %.2fx | <= 0.1x |\n", a, b, b / a
        printf "| R1b | the same from the engine'"'"'s first line (no class loading, file reading, connecting) | %d ms | %d ms | %.2fx | |\n", p, q, q / p
        printf "| R2 | PostgreSQL service, cold / reused (engine ready in) | %d ms | %d ms | %.2fx | |\n", x, y, y / x
        printf "| R0 | floor: Maven alone, the same start phase with -Dcleanroom.skip=true | | %d ms | %.2fx | |\n", m, m / a
        printf "| R3 | floor: one exec of db'"'"'s health command (pg_isready) through the Docker API | | %d ms | %.2fx | |\n", g, g / a
        printf "| R0+R3 | floor of a reused start that runs one health check | | %d ms | %.2fx | |\n", m + g, (m + g) / a
    }' "$work/raw.tsv" | tee "$work/latest.txt"
