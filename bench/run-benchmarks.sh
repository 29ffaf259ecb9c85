#!/usr/bin/env bash
# Cleanroom benchmark: how much does `cleanroom:run` cost on top of Maven's own start-up and
# of doing the same container lifecycle by hand with the docker CLI? And how do cleanroom's
# bound goals (`cleanroom:start cleanroom:stop`) compare with the peer plugin's
# (fabric8 docker-maven-plugin 0.48.0, `docker:start docker:stop`), in time and memory?
#
# One run measures every row, REPS times (plus warm-up rounds that are not counted), with the
# order of the variants rotated (and reversed every other repetition) so that drift on a noisy
# machine hits every variant alike. It prints a table of medians and ratios and writes it to
# target/bench/latest.txt (under the repository root, never committed). See bench/README.md.
#
# Usage: bench/run-benchmarks.sh [-n REPS] [-w WARMUPS] [-V VARIANTS] [-h]   (from any directory)
set -euo pipefail

readonly IMAGE="cleanroom/busybox:fixture"
readonly PLUGIN="dev.cleanroom:cleanroom-maven-plugin:0.1.0-SNAPSHOT"
readonly FABRIC8="io.fabric8:docker-maven-plugin:0.48.0"
readonly GNU_TIME=/usr/bin/time   # -f %M: peak RSS (KiB) of the Maven JVM
readonly HTTPD_CMD='mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www'
readonly POLL_SECONDS=0.05   # the CLI row polls the published port this often
readonly POLL_MAX=600        # ... at most this many times (30 s) before giving up

REPS=5
WARMUPS=1
ONLY=""

say() { echo "[bench] $*" >&2; }
die() { echo "[bench] ERROR: $*" >&2; exit 1; }

usage() {
  cat <<'EOF'
Usage: bench/run-benchmarks.sh [-n REPS] [-w WARMUPS] [-V VARIANTS] [-h]

  -n REPS      measured repetitions of every variant (default 5)
  -w WARMUPS   uncounted warm-up rounds before them (default 1)
  -V VARIANTS  only these variants, comma-separated (for trying a change; the rows of the
               others print n/a): mvn cr1 cli1 cr20 cli20 cr8 cli8 crss1 cli0 f8one crss8
               f8eight crplug
  -h           this help

Needs: a Docker daemon that answers, the image cleanroom/busybox:fixture, the plugin
installed in ~/.m2, fabric8's docker-maven-plugin 0.48.0 in ~/.m2 (every Maven run is
offline) and GNU time (the script says which command fixes what is missing).
Writes: target/bench/latest.txt (the table), target/bench/latest-raw.tsv (every sample),
        target/bench/logs/ (the Maven output of every run), target/bench/history/.
EOF
}

while getopts ':n:w:V:h' opt; do
  case $opt in
    n) REPS=$OPTARG ;;
    w) WARMUPS=$OPTARG ;;
    V) ONLY=$OPTARG ;;
    h) usage; exit 0 ;;
    :) usage >&2; die "option -$OPTARG needs a value" ;;
    *) usage >&2; die "unknown option -$OPTARG" ;;
  esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || { usage >&2; die "unexpected argument: $1"; }
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive integer, not '$REPS'"
[[ $WARMUPS =~ ^[0-9]+$ ]] || die "-w wants a non-negative integer, not '$WARMUPS'"

BENCH_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd -P -- "$BENCH_DIR/.." && pwd)
readonly BENCH_DIR REPO
readonly MVN="$REPO/mvnw"
readonly FIXTURES="$BENCH_DIR/fixtures"
readonly OUT="$REPO/target/bench"
readonly M2_REPO="$HOME/.m2/repository"
readonly PLUGIN_JAR="$M2_REPO/dev/cleanroom/cleanroom-maven-plugin/0.1.0-SNAPSHOT/cleanroom-maven-plugin-0.1.0-SNAPSHOT.jar"
readonly FABRIC8_JAR="$M2_REPO/io/fabric8/docker-maven-plugin/0.48.0/docker-maven-plugin-0.48.0.jar"
readonly FABRIC8_FIX="(cd $REPO && ./mvnw -B dependency:get -Dartifact=$FABRIC8)"

now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }

# ---------------------------------------------------------------- prerequisites
check_prerequisites() {
  local problems=() cmd
  for cmd in docker curl awk sort date sleep mktemp ps; do
    command -v "$cmd" >/dev/null 2>&1 || problems+=("'$cmd' is not on the PATH")
  done
  [[ $(date +%s%N) =~ ^[0-9]+$ ]] || problems+=("'date +%s%N' does not give nanoseconds (GNU date needed)")
  [[ -x $MVN ]] || problems+=("$MVN is missing or not executable")
  if command -v docker >/dev/null 2>&1; then
    if ! docker info >/dev/null 2>&1; then
      problems+=("no Docker daemon answers. Fix: $REPO/scripts/docker-up.sh")
    elif ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
      problems+=("the image $IMAGE is missing. Fix: $REPO/scripts/build-fixture-images.sh")
    fi
  fi
  local module missing=0
  for module in cleanroom-maven-plugin cleanroom-engine cleanroom-plugins; do
    [[ -f $M2_REPO/dev/cleanroom/$module/0.1.0-SNAPSHOT/$module-0.1.0-SNAPSHOT.jar ]] || missing=1
  done
  ((missing == 0)) || problems+=("$PLUGIN is not installed in $M2_REPO. Fix: (cd $REPO && ./mvnw -q install -DskipTests)")
  # The Maven runs are offline (-o): the peer plugin and its dependencies must be in ~/.m2 already.
  [[ -f $FABRIC8_JAR ]] || problems+=("$FABRIC8 (the peer plugin) is not in $M2_REPO. Fix: $FABRIC8_FIX")
  [[ -x $GNU_TIME ]] && "$GNU_TIME" -f %M -o /dev/null true 2>/dev/null \
    || problems+=("GNU time ($GNU_TIME, for the peak memory rows) is missing. Fix: apt-get install -y time")
  if ((${#problems[@]} > 0)); then
    echo "[bench] cannot run the benchmark:" >&2
    printf '[bench]   - %s\n' "${problems[@]}" >&2
    exit 2
  fi
}
check_prerequisites

# ---------------------------------------------------------------- workspace and cleanup
# Everything that a run uses lives in a private temporary directory: the cleanroom files there
# have paths no one else uses, so the engine's label dev.cleanroom.file=<path> names exactly
# the containers and networks this script caused, and a `mvn clean` of the repository by
# someone else during the run cannot pull the files away. Results are copied at the end.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/clnrm-bench.XXXXXX")
readonly WORK
readonly LOGS="$WORK/logs" RAW="$WORK/raw.tsv"
mkdir -p "$LOGS"
cp -R "$FIXTURES/." "$WORK/"
readonly CR_FILES=("$WORK/one-service.clnrm.toml" "$WORK/twenty-steps.clnrm.toml" "$WORK/eight-services.clnrm.toml"
  "$WORK/cleanroom-start-stop/src/test/cleanroom/one-service.clnrm.toml"
  "$WORK/cleanroom-start-stop-eight/src/test/cleanroom/eight-services.clnrm.toml"
  "$WORK/surrealdb.clnrm.toml")
readonly BENCH_TAG="clnrm-bench-$$"                 # names of what the CLI and fabric8 rows create
readonly BENCH_LABEL="dev.cleanroom.bench=$BENCH_TAG" # ... and their label (fabric8: -Dbench.tag)
CHILD=""       # the process running Maven now (GNU time, whose child is the JVM), if any
EVENTS_PID=""  # the `docker events` reader running now, if any
FINISHED=0

# Every container and network this script (or a cleanroom run it started) may have created.
leftovers() { # leftovers container|network
  local kind=$1 f all=()
  [[ $kind == container ]] && all=(-a)
  {
    docker "$kind" ls -q "${all[@]}" --filter "label=$BENCH_LABEL" || true
    for f in "${CR_FILES[@]}"; do
      docker "$kind" ls -q "${all[@]}" --filter "label=dev.cleanroom.file=$f" || true
    done
  } 2>/dev/null | sort -u
}

sweep() {
  local ids
  ids=$(leftovers container)
  if [[ -n $ids ]]; then
    say "removing $(wc -w <<<"$ids") container(s) left behind"
    # shellcheck disable=SC2086
    docker rm -f $ids >/dev/null 2>&1 || true
  fi
  ids=$(leftovers network)
  if [[ -n $ids ]]; then
    say "removing $(wc -w <<<"$ids") network(s) left behind"
    # shellcheck disable=SC2086
    docker network rm $ids >/dev/null 2>&1 || true
  fi
}

save_outputs() {
  mkdir -p "$OUT"
  rm -rf "$OUT/logs"
  cp -R "$LOGS" "$OUT/logs" 2>/dev/null || true
  if [[ -f $RAW ]]; then cp "$RAW" "$OUT/latest-raw.tsv"; fi
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null; then
    # SIGTERM lets the JVM run its shutdown hooks (the engine removes its own run); the sweep
    # below catches whatever is still there after it is gone. The signal goes to the JVM, the
    # child of GNU time (time itself would die at once and leave the JVM running).
    local targets i
    targets=$(ps -o pid= --ppid "$CHILD" 2>/dev/null | awk '{ printf "%s%s", sep, $1; sep = " " }' || true)
    [[ -n $targets ]] || targets=$CHILD
    say "stopping Maven (pid $targets)"
    # shellcheck disable=SC2086
    kill -TERM $targets 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.1; done
    # shellcheck disable=SC2086
    kill -KILL $targets "$CHILD" 2>/dev/null || true
    wait "$CHILD" 2>/dev/null || true
  fi
  if [[ -n $EVENTS_PID ]]; then
    kill "$EVENTS_PID" 2>/dev/null || true
    wait "$EVENTS_PID" 2>/dev/null || true
  fi
  wait 2>/dev/null || true   # docker run started in the background by the 8-container CLI row
  sweep
  if ((FINISHED == 0)); then
    save_outputs
    say "stopped before the end (exit $rc); logs of the runs so far: $OUT/logs"
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- the variants
REP=""   # w1, w2... for warm-ups (not counted), 1, 2... for measured repetitions

record() { printf '%s\t%s\t%s\t%s\n' "$REP" "$1" "$2" "$3" >>"$RAW"; }

# run_maven LOG DIR ARGS...: runs the wrapper in DIR in the background (so a signal reaches
# the trap at once), waits, sets RC and RSS_KIB. TZ=UTC makes the log time stamps comparable
# with date +%s. GNU time around it reports the peak resident set size of the Maven JVM (the
# wrapper script execs Maven's script, which execs java: one process, time's only child); its
# cost is one fork and a wait4, for every Maven row alike.
run_maven() {
  local log=$1 dir=$2
  shift 2
  ( cd "$dir" && export TZ=UTC && exec "$GNU_TIME" -f %M -o "$log.rss" "$MVN" "$@" ) >"$log" 2>&1 </dev/null &
  CHILD=$!
  RC=0
  wait "$CHILD" || RC=$?
  CHILD=""
  RSS_KIB=$(tail -n 1 "$log.rss" 2>/dev/null || true)
  [[ $RSS_KIB =~ ^[0-9]+$ ]] || RSS_KIB=""
}

# record_rss NAME: the peak RSS of the Maven run just finished, if GNU time reported it.
record_rss() { [[ -z $RSS_KIB ]] || record "$1" rss_kib "$RSS_KIB"; }

fail_with_log() { # fail_with_log LOG MESSAGE
  echo "----- last lines of $1" >&2
  tail -n 40 "$1" >&2 || true
  echo "-----" >&2
  die "$2"
}

# Row 1: Maven's own start-up.
variant_mvn() {
  local log="$LOGS/mvn-validate-$REP.log" t0 wall
  t0=$(now_ns)
  run_maven "$log" "$WORK/empty-project" -o -q -B validate
  wall=$(ms_since "$t0")
  ((RC == 0)) || fail_with_log "$log" "mvn validate of the empty project failed (exit $RC)"
  record mvn wall "$wall"
  record_rss mvn
  LAST="$wall"
}

# parse_cleanroom_log LOG T0_MS T1_MS: turns the log of one cleanroom run into "metric value_ms"
# pairs. The run is started with time stamps on every log line (HH:mm:ss.SSS, UTC), so the wall
# time [T0, T1] (epoch ms, taken by this script) splits into phases at these lines:
#   boot      T0 -> "Scanning for projects..."        JVM and Maven core start-up
#   resolve   -> "--- cleanroom:...:run"              stub project, plugin resolution
#   setup     -> "Starting N service(s)"              plugin realm, engine, Docker client, config
#   start     -> the last "Service ... ready in"      network, containers, health checks
#   steps     -> the last "Step ... in"               the steps
#   removal   -> "Removed the containers..."          removal of containers and network
#   finish    -> the last log line                    reports, verdict, Maven's summary
#   exit      -> T1                                   JVM shut-down
# and reports the durations the engine logs itself: each "ready in", each "Step ... PASSED in",
# and "Removed ... in".
parse_cleanroom_log() {
  awk -v t0="$2" -v t1="$3" '
    function dur(s,   a) {                  # "742 ms" | "2.9 s" | "1 min 3 s"
      split(s, a, " ")
      if (a[2] == "ms") return a[1] + 0
      if (a[2] == "s") return a[1] * 1000
      if (a[2] == "min") return a[1] * 60000 + a[3] * 1000
      return -1
    }
    function stamp(   a) {                  # ms of the line, on the epoch scale of t0
      if ($1 !~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]$/) return -1
      split($1, a, /[:.]/)
      v = day + ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4]
      if (v < t0 - 3600000) v += 86400000   # the run went past midnight (UTC)
      return v
    }
    BEGIN { day = t0 - t0 % 86400000 }
    { t = stamp(); if (t >= 0) last = t }
    /\] Scanning for projects/               && !scan  { scan = t }
    /\] --- cleanroom:.*:run /               && !mojo  { mojo = t }
    /\] Starting [0-9]+ service\(s\)/        && !begin { begin = t }
    /\] Service .* ready in / { ready = t; s = $0; sub(/.* ready in /, "", s); print "ready", dur(s) }
    /\] Step .* (PASSED|FAILED|TOLERATED|SKIPPED) in / { stepped = t }
    /\] Step .* PASSED in / { s = $0; sub(/.* PASSED in /, "", s); print "step", dur(s) }
    /\] Removed the containers and network of run .* in / {
      removed = t; s = $0; sub(/.* of run [^ ]* in /, "", s); print "removal", dur(s)
    }
    END {
      if (!(scan && mojo && begin && ready && stepped && removed)) { print "unparsed", 1; exit }
      print "boot", scan - t0
      print "resolve", mojo - scan
      print "setup", begin - mojo
      print "start_phase", ready - begin
      print "steps_phase", stepped - ready
      print "removal_phase", removed - stepped
      print "finish", last - removed
      print "exit", t1 - last
      print "maven_part", (scan - t0) + (mojo - scan) + (last - removed) + (t1 - last)
    }
  ' "$1"
}

# Rows 2, 5, 6: cleanroom:run of one file, through Maven, outside a project. The only options
# beyond what a user types are -o -B (as in row 1) and the log time stamps the phases need;
# not -q, which would hide the log lines.
variant_cleanroom() { # variant_cleanroom NAME FILE EXPECTED_STEPS
  local name=$1 file=$2 steps=$3 log="$LOGS/$1-$REP.log" t0 t1 metric value
  t0=$(now_ns)
  run_maven "$log" "$WORK" -o -B \
    -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
    "$PLUGIN:run" -Dfile="$file"
  t1=$(now_ns)
  ((RC == 0)) || fail_with_log "$log" "cleanroom:run of $(basename "$file") failed (exit $RC)"
  grep -q "Steps: $steps passed, 0 failed" "$log" \
    || fail_with_log "$log" "cleanroom:run of $(basename "$file") did not pass its $steps step(s)"
  record "$name" wall $(((t1 - t0) / 1000000))
  record_rss "$name"
  while read -r metric value; do
    [[ $value == -1 ]] || record "$name" "$metric" "$value"
  done < <(parse_cleanroom_log "$log" $((t0 / 1000000)) $((t1 / 1000000)))
  if [[ -n $(leftovers container)$(leftovers network) ]]; then
    say "WARNING: cleanroom:run of $(basename "$file") left containers or networks behind; removing them"
    record "$name" leftovers 1
    sweep
  fi
  LAST=$(((t1 - t0) / 1000000))
}

# Rows 3 and 5: the same lifecycle with the plain docker CLI.
variant_cli() { # variant_cli NAME EXECS
  local name=$1 execs=$2 id="$BENCH_TAG-$1-$REP" out i t0 tn t1 t2 t3 t4
  t0=$(now_ns)
  docker network create --label "$BENCH_LABEL" "$id-net" >/dev/null
  tn=$(now_ns)
  docker run -d --label "$BENCH_LABEL" --name "$id" --network "$id-net" -p 127.0.0.1::8080 \
    "$IMAGE" sh -c "$HTTPD_CMD" >/dev/null
  t1=$(now_ns)
  wait_until_answers "$id"
  t2=$(now_ns)
  for ((i = 0; i < execs; i++)); do
    out=$(docker exec "$id" wget -q -O - http://127.0.0.1:8080/) || die "docker exec wget failed in $id"
    [[ $out =~ ok ]] || die "docker exec wget printed '$out', not 'ok'"
  done
  t3=$(now_ns)
  docker rm -f "$id" >/dev/null
  docker network rm "$id-net" >/dev/null
  t4=$(now_ns)
  record "$name" wall $(((t4 - t0) / 1000000))
  record "$name" net $(((tn - t0) / 1000000))
  record "$name" run $(((t1 - tn) / 1000000))
  record "$name" poll $(((t2 - t1) / 1000000))
  record "$name" up $(((t2 - tn) / 1000000))
  record "$name" ready $(((t2 - t0) / 1000000))
  ((execs == 0)) || record "$name" exec $(((t3 - t2) / 1000000 / execs))
  record "$name" removal $(((t4 - t3) / 1000000))
  LAST=$(((t4 - t0) / 1000000))
}

# wait_until_answers CONTAINER: docker port, then curl every 50 ms until the page answers.
wait_until_answers() {
  local port i=0
  port=$(docker port "$1" 8080/tcp | head -n 1)
  port=${port##*:}
  [[ $port =~ ^[0-9]+$ ]] || die "no published port for $1"
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
    ((++i < POLL_MAX)) || die "$1 never answered on 127.0.0.1:$port"
    sleep "$POLL_SECONDS"
  done
}

# Reference for row 6: eight containers started in parallel with the CLI (8 docker run at
# once), each polled until it answers, one exec, one docker rm -f of all eight.
variant_cli8() {
  local name=cli8 id="$BENCH_TAG-cli8-$REP" out k t0 tn t2 t3 t4 pids=() names=()
  t0=$(now_ns)
  docker network create --label "$BENCH_LABEL" "$id-net" >/dev/null
  tn=$(now_ns)
  for k in 1 2 3 4 5 6 7 8; do
    names+=("$id-$k")
    docker run -d --label "$BENCH_LABEL" --name "$id-$k" --network "$id-net" -p 127.0.0.1::8080 \
      "$IMAGE" sh -c "$HTTPD_CMD" >/dev/null &
    pids+=($!)
  done
  for k in "${pids[@]}"; do wait "$k" || die "one of the 8 parallel docker run failed"; done
  for k in "${names[@]}"; do wait_until_answers "$k"; done
  t2=$(now_ns)
  out=$(docker exec "${names[0]}" wget -q -O - http://127.0.0.1:8080/) || die "docker exec wget failed"
  [[ $out =~ ok ]] || die "docker exec wget printed '$out', not 'ok'"
  t3=$(now_ns)
  docker rm -f "${names[@]}" >/dev/null
  docker network rm "$id-net" >/dev/null
  t4=$(now_ns)
  record "$name" wall $(((t4 - t0) / 1000000))
  record "$name" net $(((tn - t0) / 1000000))
  record "$name" up $(((t2 - tn) / 1000000))
  record "$name" ready $(((t2 - t0) / 1000000))
  record "$name" removal $(((t4 - t3) / 1000000))
  LAST=$(((t4 - t0) / 1000000))
}

# ---------------------------------------------------------------- bound goals and the peer plugin
# Rows 7-10: the one-service (and eight-service) lifecycle through the goals a build binds to
# pre-/post-integration-test, cleanroom's and fabric8 docker-maven-plugin's, in a fixture project
# each (bench/fixtures/cleanroom-start-stop*, bench/fixtures/fabric8-*), invoked directly
# (`cleanroom:start cleanroom:stop`, `docker:start docker:stop`) so that nothing else runs.
readonly LOG_STAMPS=(-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS)

# events_start FILE LABEL: streams the daemon's events of containers carrying LABEL to FILE, one
# "time_ns|action|id|dev.cleanroom.service label|name" a line, until events_stop. --since replays
# what happened between the call and the reader's connection. The reader starts (and the 0.3 s
# pause lets it settle) before the timed window opens.
events_start() {
  docker events --since "$(date +%s.%N)" --filter type=container --filter "label=$2" \
    --format '{{.TimeNano}}|{{.Action}}|{{.Actor.ID}}|{{index .Actor.Attributes "dev.cleanroom.service"}}|{{index .Actor.Attributes "name"}}' \
    >"$1" 2>/dev/null </dev/null &
  EVENTS_PID=$!
  sleep 0.3
}

# events_stop FILE: waits (5 s at most) until every container created was destroyed, then stops
# the reader.
events_stop() {
  local i created destroyed
  for ((i = 0; i < 50; i++)); do
    created=$(grep -c '|create|' "$1" || true)
    destroyed=$(grep -c '|destroy|' "$1" || true)
    ((created > 0 && destroyed >= created)) && break
    sleep 0.1
  done
  kill "$EVENTS_PID" 2>/dev/null || true
  wait "$EVENTS_PID" 2>/dev/null || true
  EVENTS_PID=""
}

# parse_lifecycle_log KIND LOG EVENTS T0_MS T1_MS: "metric value_ms" pairs of one start+stop run
# (KIND cleanroom or fabric8) from the log's time stamps and the daemon's container events:
#   boot         T0 -> "Scanning for projects..."
#   resolve      -> "--- cleanroom:...:start" | "--- docker:...:start"
#   setup        -> the first container "create" event: plugin realm, Docker client, config
#                   (cleanroom: also the network; fabric8 uses the default bridge)
#   start_phase  -> the last "Service ... ready in" | "...": Waited on url ..."
#   handover     -> "--- ...:stop" (cleanroom: exporting the properties; Maven's next mojo)
#   stop_phase   -> "Removed the containers and network ..." | the last "Stop and removed container"
#   finish       -> the last log line;  exit -> T1
# and per container: ctr_create ("create" -> "start" event), ctr_health (its "start" event -> its
# ready line: the health wait once the container runs), ctr_stop (first "kill" -> "destroy"), and
# what the plugins log: ready (cleanroom's "ready in"), waited (fabric8's "Waited on url ... N ms"),
# removal (cleanroom's "Removed ... in").
parse_lifecycle_log() {
  awk -v kind="$1" -v ev="$3" -v t0="$4" -v t1="$5" -v tag="$BENCH_TAG" '
    function dur(s,   a) {
      split(s, a, " ")
      if (a[2] == "ms") return a[1] + 0
      if (a[2] == "s") return a[1] * 1000
      if (a[2] == "min") return a[1] * 60000 + a[3] * 1000
      return -1
    }
    function stamp(   a) {
      if ($1 !~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]$/) return -1
      split($1, a, /[:.]/)
      v = day + ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4]
      if (v < t0 - 3600000) v += 86400000
      return v
    }
    BEGIN {
      day = t0 - t0 % 86400000
      if (kind == "cleanroom") { p_mojo1 = "\\] --- cleanroom:[^ ]*:start "; p_mojo2 = "\\] --- cleanroom:[^ ]*:stop " }
      else { p_mojo1 = "\\] --- docker:[^ ]*:start "; p_mojo2 = "\\] --- docker:[^ ]*:stop " }
    }
    FILENAME == ev {                                    # the events
      n = split($0, e, "|"); if (n < 5) next
      ms = substr(e[1], 1, 13) + 0; id = e[3]; svc = e[4]
      if (svc == "") {                                  # fabric8: <tag>-<alias>-<index>
        svc = e[5]
        if (index(svc, tag "-") == 1) svc = substr(svc, length(tag) + 2)
        sub(/-[0-9]+$/, "", svc)
      }
      if (e[2] == "create") { created[id] = ms; svcOf[id] = svc; if (!first || ms < first) first = ms }
      else if (e[2] == "start") started[id] = ms
      else if (e[2] == "kill" && !(id in killed)) killed[id] = ms
      else if (e[2] == "destroy") destroyed[id] = ms
      next
    }
    { t = stamp(); if (t >= 0) last = t }
    /\] Scanning for projects/ && !scan { scan = t }
    $0 ~ p_mojo1 && !mojo1 { mojo1 = t }
    $0 ~ p_mojo2 && !mojo2 { mojo2 = t }
    kind == "cleanroom" && /\] Service [^ ]+ \(.*\) ready in / {
      ready = t; readyAt[$4] = t; s = $0; sub(/.* ready in /, "", s); print "ready", dur(s)
    }
    kind == "fabric8" && /": Waited on url / {
      ready = t; s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s); readyAt[s] = t
      s = $0; sub(/.* Waited on url [^ ]+ /, "", s); print "waited", dur(s)
    }
    kind == "cleanroom" && /\] Removed the containers and network of run .* in / {
      removed = t; s = $0; sub(/.* of run [^ ]* in /, "", s); print "removal", dur(s)
    }
    kind == "fabric8" && /": Stop and removed container / { removed = t }
    END {
      for (id in created) {
        if (id in started) {
          print "ctr_create", started[id] - created[id]
          if (svcOf[id] in readyAt) print "ctr_health", readyAt[svcOf[id]] - started[id]
        }
        if ((id in killed) && (id in destroyed)) print "ctr_stop", destroyed[id] - killed[id]
      }
      if (!(scan && mojo1 && first && ready && mojo2 && removed)) { print "unparsed", 1; exit }
      print "boot", scan - t0
      print "resolve", mojo1 - scan
      print "setup", first - mojo1
      print "start_phase", ready - first
      print "handover", mojo2 - ready
      print "stop_phase", removed - mojo2
      print "finish", last - removed
      print "exit", t1 - last
    }
  ' "$3" "$2"
}

# variant_lifecycle NAME KIND DIR SERVICES: KIND cleanroom (cleanroom:start cleanroom:stop) or
# fabric8 (docker:start docker:stop) in the fixture project DIR, which has SERVICES services.
variant_lifecycle() {
  local name=$1 kind=$2 dir="$WORK/$3" services=$4 log="$LOGS/$1-$REP.log" events="$LOGS/$1-$REP.events"
  local t0 t1 filter metric value args=() what
  if [[ $kind == cleanroom ]]; then
    filter="dev.cleanroom.file=$(ls "$dir"/src/test/cleanroom/*.clnrm.toml)"
    args=(cleanroom:start cleanroom:stop)
  else
    filter=$BENCH_LABEL
    args=(docker:start docker:stop -Dbench.tag="$BENCH_TAG")
  fi
  what="${args[0]} ${args[1]} in $3"
  events_start "$events" "$filter"
  t0=$(now_ns)
  run_maven "$log" "$dir" -o -B "${LOG_STAMPS[@]}" "${args[@]}"
  t1=$(now_ns)
  events_stop "$events"
  if ((RC != 0)); then
    [[ $kind == cleanroom ]] || fail_with_log "$log" "$what failed (exit $RC). If the log says an artifact \
cannot be resolved offline, fetch the peer plugin once: $FABRIC8_FIX"
    fail_with_log "$log" "$what failed (exit $RC)"
  fi
  if [[ $kind == cleanroom ]]; then
    (($(grep -c '\] Service .* ready in ' "$log" || true) == services)) \
      || fail_with_log "$log" "$what did not report $services service(s) ready"
    grep -q '\] Removed the containers and network of run ' "$log" \
      || fail_with_log "$log" "$what did not report the removal of its run"
  else
    (($(grep -c '": Waited on url ' "$log" || true) == services)) \
      || fail_with_log "$log" "$what did not wait for $services container(s)"
    (($(grep -c '": Stop and removed container ' "$log" || true) == services)) \
      || fail_with_log "$log" "$what did not stop and remove $services container(s)"
  fi
  record "$name" wall $(((t1 - t0) / 1000000))
  record_rss "$name"
  while read -r metric value; do
    [[ $value == -1 ]] || record "$name" "$metric" "$value"
  done < <(parse_lifecycle_log "$kind" "$log" "$events" $((t0 / 1000000)) $((t1 / 1000000)))
  if [[ -n $(leftovers container)$(leftovers network) ]]; then
    say "WARNING: $what left containers or networks behind; removing them"
    record "$name" leftovers 1
    sweep
  fi
  LAST=$(((t1 - t0) / 1000000))
}

# Row 10g: cleanroom:plugins in the one-service project. From its "--- ...:plugins" line to
# "Available Service Plugins:" Maven creates the plugin's class realm, loads the mojo, and the
# engine discovers and instantiates every service type (ServiceLoader): an upper bound of the
# registration itself, which alone would need a unit-level (JMH) measurement.
variant_plugins() {
  local name=crplug log="$LOGS/crplug-$REP.log" t0 t1 metric value
  t0=$(now_ns)
  run_maven "$log" "$WORK/cleanroom-start-stop" -o -B "${LOG_STAMPS[@]}" cleanroom:plugins
  t1=$(now_ns)
  ((RC == 0)) || fail_with_log "$log" "cleanroom:plugins failed (exit $RC)"
  grep -q '\] Available Service Plugins:' "$log" || fail_with_log "$log" "cleanroom:plugins listed no service type"
  record "$name" wall $(((t1 - t0) / 1000000))
  record_rss "$name"
  while read -r metric value; do
    record "$name" "$metric" "$value"
  done < <(awk '
    function stamp(   a) { split($1, a, /[:.]/); return ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4] }
    /\] --- cleanroom:[^ ]*:plugins / { mojo = stamp() }
    /\] Available Service Plugins:/ { listed = stamp(); counting = 1; next }
    counting && /\] - [a-z_0-9]+: / { types++ }
    END { if (mojo && listed) { d = listed - mojo; if (d < 0) d += 86400000; print "registration", d; print "types", types + 0 } }
  ' "$log")
  LAST=$(((t1 - t0) / 1000000))
}

run_variant() {
  case $1 in
    mvn) variant_mvn ;;
    cr1) variant_cleanroom cr1 "${CR_FILES[0]}" 1 ;;
    cr20) variant_cleanroom cr20 "${CR_FILES[1]}" 20 ;;
    cr8) variant_cleanroom cr8 "${CR_FILES[2]}" 1 ;;
    crsdb) variant_cleanroom crsdb "${CR_FILES[5]}" 1 ;;
    cli1) variant_cli cli1 1 ;;
    cli20) variant_cli cli20 20 ;;
    cli8) variant_cli8 ;;
    cli0) variant_cli cli0 0 ;;
    crss1) variant_lifecycle crss1 cleanroom cleanroom-start-stop 1 ;;
    crss8) variant_lifecycle crss8 cleanroom cleanroom-start-stop-eight 8 ;;
    f8one) variant_lifecycle f8one fabric8 fabric8-one 1 ;;
    f8eight) variant_lifecycle f8eight fabric8 fabric8-eight 8 ;;
    crplug) variant_plugins ;;
  esac
}

ALL_VARIANTS=(mvn cr1 cli1 cr20 cli20 cr8 cli8 crss1 cli0 f8one crss8 f8eight crplug crsdb)
if [[ -n $ONLY ]]; then
  VARIANTS=()
  for v in ${ONLY//,/ }; do
    [[ " ${ALL_VARIANTS[*]} " == *" $v "* ]] || die "-V: unknown variant '$v' (known: ${ALL_VARIANTS[*]})"
    VARIANTS+=("$v")
  done
else
  VARIANTS=("${ALL_VARIANTS[@]}")
fi
readonly ALL_VARIANTS VARIANTS

# Repetition k (0-based) runs the variants rotated by k, reversed when k is odd, so that every
# variant takes turns at the start, middle and end of a round.
order_for() {
  local k=$1 n=${#VARIANTS[@]} i out=()
  for ((i = 0; i < n; i++)); do out+=("${VARIANTS[(i + k) % n]}"); done
  if ((k % 2 == 1)); then
    local rev=()
    for ((i = n - 1; i >= 0; i--)); do rev+=("${out[i]}"); done
    out=("${rev[@]}")
  fi
  echo "${out[@]}"
}

# ---------------------------------------------------------------- run
jar_stamp() { stat -c '%Y %s' "$PLUGIN_JAR" 2>/dev/null || echo missing; }
START_NS=$(now_ns)
START_STAMP=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
JAR_BEFORE=$(jar_stamp)
MVN_V=$("$MVN" -v -B 2>/dev/null) || MVN_V=""
MAVEN_VERSION=$(awk 'NR == 1 { print $3 }' <<<"$MVN_V")
JAVA_VERSION=$(awk -F': ' '/^Java version/ { split($2, a, ","); print a[1] }' <<<"$MVN_V")
DOCKER_VERSION=$(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null || echo '?')
: >"$RAW"

total_rounds=$((WARMUPS + REPS))
for ((round = 0; round < total_rounds; round++)); do
  if ((round < WARMUPS)); then
    REP="w$((round + 1))"
    label="warm-up $((round + 1))/$WARMUPS"
  else
    REP=$((round - WARMUPS + 1))
    label="rep $REP/$REPS"
  fi
  for v in $(order_for "$round"); do
    run_variant "$v"
    say "$(printf '%-12s %-6s %7.2f s' "$label" "$v" "$(awk -v m="$LAST" 'BEGIN { print m / 1000 }')")"
  done
done

TOTAL_MS=$(ms_since "$START_NS")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
JAR_AFTER=$(jar_stamp)

# ---------------------------------------------------------------- statistics and table
# stat VARIANT METRIC [median|min|max|count]: over the measured repetitions only.
stat() {
  awk -F'\t' -v v="$1" -v m="$2" '$1 !~ /^w/ && $2 == v && $3 == m { print $4 }' "$RAW" | summarize "${3:-median}"
}
# summarize median|min|max|count: of the numbers on stdin, one a line; NA when there are none.
summarize() {
  sort -n | awk -v what="$1" '
      { a[NR] = $1 }
      END {
        if (NR == 0) { print "NA"; exit }
        if (what == "count") print NR
        else if (what == "min") print a[1]
        else if (what == "max") print a[NR]
        else if (NR % 2) print a[(NR + 1) / 2]
        else print (a[NR / 2] + a[NR / 2 + 1]) / 2
      }'
}
# calc 'EXPR' NAME=VALUE...: awk arithmetic on named values; n/a in (or a division by zero), NA out.
calc() {
  local expr=$1 kv args=()
  shift
  for kv in "$@"; do
    [[ -n ${kv#*=} && ${kv#*=} != NA ]] || { echo NA; return; }
    args+=(-v "$kv")
  done
  awk "${args[@]}" "BEGIN { print ($expr) }" 2>/dev/null || echo NA
}
# fmt KIND VALUE: "-" for no value, "n/a" for NA, else seconds / milliseconds / ratio / signed seconds.
fmt() {
  case $2 in
    "") echo "-" ;;
    NA) echo "n/a" ;;
    *) case $1 in
         s) awk -v m="$2" 'BEGIN { printf "%.2f s", m / 1000 }' ;;
         ms) awk -v m="$2" 'BEGIN { printf "%.0f ms", m }' ;;
         x) awk -v r="$2" 'BEGIN { printf "%.2fx", r }' ;;
         ds) awk -v m="$2" 'BEGIN { printf "%+.2f s", m / 1000 }' ;;
         mib) awk -v k="$2" 'BEGIN { printf "%.0f MiB", k / 1024 }' ;;
       esac ;;
  esac
}
fmt_s() { fmt s "$1"; }
fmt_ms() { fmt ms "$1"; }
fmt_x() { fmt x "$1"; }
fmt_ds() { fmt ds "$1"; }
verdict() { # verdict VALUE LIMIT
  [[ $1 == NA ]] && { echo ""; return; }
  awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "meets target" : "MISSES target" }'
}

time_row() { # time_row NUM TEXT VARIANT METRIC
  printf '%-4s %-52s %10s  %10s  %10s\n' "$1" "$2" "$(fmt_s "$(stat "$3" "$4")")" \
    "$(fmt_s "$(stat "$3" "$4" min)")" "$(fmt_s "$(stat "$3" "$4" max)")"
}
value_row() { # value_row NUM TEXT FORMATTED [NOTE]
  printf '%-4s %-52s %10s  %s\n' "$1" "$2" "$3" "${4:-}"
}
mem_row() { # mem_row NUM TEXT VARIANT: peak RSS of the Maven JVM, median min max
  printf '%-4s %-52s %10s  %10s  %10s\n' "$1" "$2" "$(fmt mib "$(stat "$3" rss_kib)")" \
    "$(fmt mib "$(stat "$3" rss_kib min)")" "$(fmt mib "$(stat "$3" rss_kib max)")"
}
cmp_row() { # cmp_row NUM TEXT CLEANROOM_MS FABRIC8_MS CLI_MS (any may be empty)
  printf '%-4s %-47s %10s  %10s  %10s\n' "$1" "$2" "$(fmt_ms "$3")" "$(fmt_ms "$4")" "$(fmt_ms "$5")"
}
phase_row() { # phase_row TEXT CLEANROOM_MS EQUIVALENT_MS (either may be empty)
  local diff=""
  [[ -n $2 && -n $3 ]] && diff=$(fmt_ms "$(calc 'c - d' c="$2" d="$3")")
  printf '     %-47s %10s  %10s  %10s\n' "$1" "$(fmt_ms "$2")" "$(fmt_ms "$3")" "$diff"
}

MVN_MED=$(stat mvn wall)
CR1=$(stat cr1 wall)
CLI1=$(stat cli1 wall)
CR20=$(stat cr20 wall)
CLI20=$(stat cli20 wall)
CR8=$(stat cr8 wall)
CLI8=$(stat cli8 wall)
RATIO6_CLI=$(calc 'a / b' a="$CLI8" b="$CLI1")
# The same two target figures, paired within each repetition (the variants of one repetition
# ran minutes apart at most), then the median over repetitions: less sensitive to slow phases
# of the machine than the ratio of medians above.
paired() { # paired cr1-mvn-cli1|cr8/cr1
  awk -F'\t' -v what="$1" '
    $1 !~ /^w/ && $3 == "wall" { v[$1 "/" $2] = $4; reps[$1] = 1 }
    END {
      for (r in reps) {
        if (what == "cr1-mvn-cli1" && (r "/cr1") in v && (r "/mvn") in v && (r "/cli1") in v)
          print v[r "/cr1"] - v[r "/mvn"] - v[r "/cli1"]
        if (what == "cr8/cr1" && (r "/cr8") in v && (r "/cr1") in v && v[r "/cr1"] > 0)
          print v[r "/cr8"] / v[r "/cr1"]
      }
    }' "$RAW" | summarize median
}
DIFF4_PAIRED=$(paired cr1-mvn-cli1)
RATIO6_PAIRED=$(paired cr8/cr1)
BASE=$(calc 'a + b' a="$MVN_MED" b="$CLI1")
RATIO4=$(calc 'c / b' c="$CR1" b="$BASE")
DIFF4=$(calc 'c - b' c="$CR1" b="$BASE")
CR_STEP=$(calc '(x - y) / 19' x="$CR20" y="$CR1")
CLI_STEP=$(calc '(x - y) / 19' x="$CLI20" y="$CLI1")
RATIO5=$(calc 'a / b' a="$CR_STEP" b="$CLI_STEP")
RATIO6=$(calc 'a / b' a="$CR8" b="$CR1")
CR_STEP_PHASE=$(calc '(x - y) / 19' x="$(stat cr20 steps_phase)" y="$(stat cr1 steps_phase)")
LEFT_BY_CR=$(awk -F'\t' '$1 !~ /^w/ && $3 == "leftovers"' "$RAW" | wc -l)
UNPARSED=$(awk -F'\t' '$1 !~ /^w/ && $3 == "unparsed"' "$RAW" | wc -l)

# Rows 7-10: the bound goals against the peer plugin.
# paired_ratio A B / paired_diff A B C: wall(A) / wall(B), wall(A) - wall(B) - wall(C) within each
# repetition, then the median over repetitions.
paired_ratio() {
  awk -F'\t' -v a="$1" -v b="$2" '
    $1 !~ /^w/ && $3 == "wall" { v[$1 "/" $2] = $4; reps[$1] = 1 }
    END { for (r in reps) if ((r "/" a) in v && (r "/" b) in v && v[r "/" b] > 0) print v[r "/" a] / v[r "/" b] }
  ' "$RAW" | summarize median
}
paired_diff() {
  awk -F'\t' -v a="$1" -v b="$2" -v c="$3" '
    $1 !~ /^w/ && $3 == "wall" { v[$1 "/" $2] = $4; reps[$1] = 1 }
    END { for (r in reps) if ((r "/" a) in v && (r "/" b) in v && (r "/" c) in v) print v[r "/" a] - v[r "/" b] - v[r "/" c] }
  ' "$RAW" | summarize median
}
CRSS1=$(stat crss1 wall)
CLI0=$(stat cli0 wall)
F8ONE=$(stat f8one wall)
CRSS8=$(stat crss8 wall)
F8EIGHT=$(stat f8eight wall)
RATIO7=$(calc 'a / b' a="$CRSS1" b="$F8ONE")
RATIO7_PAIRED=$(paired_ratio crss1 f8one)
DIFF7=$(calc 'a - b - c' a="$CRSS1" b="$MVN_MED" c="$CLI0")
DIFF7_PAIRED=$(paired_diff crss1 mvn cli0)
RATIO8=$(calc 'a / b' a="$CRSS8" b="$CRSS1")
RATIO8_PAIRED=$(paired_ratio crss8 crss1)
RATIO8_F8=$(calc 'a / b' a="$CRSS8" b="$F8EIGHT")
RATIO8_F8_PAIRED=$(paired_ratio crss8 f8eight)
RATIO8_PEER=$(calc 'a / b' a="$F8EIGHT" b="$F8ONE")

{
  echo "Cleanroom benchmark, $START_STAMP"
  echo "  $REPS measured repetition(s) per variant after $WARMUPS warm-up round(s); order rotated each repetition"
  [[ -z $ONLY ]] || echo "  ONLY the variants ${VARIANTS[*]} (-V): the rows of the others print n/a"
  echo "  host: $(nproc) cores, load $LOAD_BEFORE before / $LOAD_AFTER after; Docker $DOCKER_VERSION;" \
    "Maven $MAVEN_VERSION (./mvnw -o -B); Java $JAVA_VERSION"
  echo "  total wall time of this benchmark: $(fmt_s "$TOTAL_MS")"
  [[ $JAR_BEFORE == "$JAR_AFTER" ]] ||
    echo "  WARNING: the installed plugin jar changed during the run (mtime size: $JAR_BEFORE -> $JAR_AFTER): rows mix builds"
  echo
  printf '%-4s %-52s %10s  %10s  %10s\n' "row" "what (wall time of the whole command)" "median" "min" "max"
  time_row 1 "mvn -o -q -B validate, empty project" mvn wall
  time_row 2 "cleanroom:run, 1 service + 1 step" cr1 wall
  time_row 3 "docker CLI, same lifecycle (1 exec)" cli1 wall
  value_row 4a "ratio  row 2 / (row 1 + row 3)" "$(fmt_x "$RATIO4")"
  value_row 4b "diff   row 2 - (row 1 + row 3)" "$(fmt_ds "$DIFF4")" \
    "target <= +1.50 s: $(verdict "$DIFF4" 1500)"
  value_row 4c "diff   as 4b, paired per repetition, median" "$(fmt_ds "$DIFF4_PAIRED")" \
    "target <= +1.50 s: $(verdict "$DIFF4_PAIRED" 1500)"
  time_row 5a "cleanroom:run, 1 service + 20 steps" cr20 wall
  time_row 5b "docker CLI, same lifecycle with 20 execs" cli20 wall
  value_row 5c "cleanroom per-step overhead (5a - 2) / 19" "$(fmt_ms "$CR_STEP")"
  value_row 5d "CLI per-exec time (5b - 3) / 19" "$(fmt_ms "$CLI_STEP")"
  value_row 5e "ratio  5c / 5d" "$(fmt_x "$RATIO5")"
  time_row 6a "cleanroom:run, 8 independent services + 1 step" cr8 wall
  value_row 6b "ratio  6a / 2" "$(fmt_x "$RATIO6")" "target <= 1.50x: $(verdict "$RATIO6" 1.5)"
  value_row 6c "ratio  as 6b, paired per repetition, median" "$(fmt_x "$RATIO6_PAIRED")" \
    "target <= 1.50x: $(verdict "$RATIO6_PAIRED" 1.5)"
  time_row 6d "docker CLI, 8 containers in parallel (reference)" cli8 wall
  value_row 6e "ratio  6d / 3 (what 8 vs 1 costs the CLI here)" "$(fmt_x "$RATIO6_CLI")"
  echo
  echo "Bound goals against the peer plugin (fabric8 docker-maven-plugin 0.48.0): the same service, no step"
  printf '%-4s %-52s %10s  %10s  %10s\n' "row" "what (wall time of the whole command)" "median" "min" "max"
  time_row 7a "cleanroom:start cleanroom:stop, 1 service" crss1 wall
  time_row 7b "docker CLI, row 3 without the exec" cli0 wall
  time_row 7c "fabric8 docker:start docker:stop, 1 container" f8one wall
  value_row 7d "ratio  7a / 7c" "$(fmt_x "$RATIO7")" "target <= 0.25x: $(verdict "$RATIO7" 0.25)"
  value_row 7e "ratio  as 7d, paired per repetition, median" "$(fmt_x "$RATIO7_PAIRED")" \
    "target <= 0.25x: $(verdict "$RATIO7_PAIRED" 0.25)"
  value_row 7f "diff   7a - (row 1 + 7b)" "$(fmt_ds "$DIFF7")" "target <= +1.50 s: $(verdict "$DIFF7" 1500)"
  value_row 7g "diff   as 7f, paired per repetition, median" "$(fmt_ds "$DIFF7_PAIRED")" \
    "target <= +1.50 s: $(verdict "$DIFF7_PAIRED" 1500)"
  time_row 8a "cleanroom:start cleanroom:stop, 8 services" crss8 wall
  value_row 8b "ratio  8a / 7a" "$(fmt_x "$RATIO8")" "target <= 1.50x: $(verdict "$RATIO8" 1.5)"
  value_row 8c "ratio  as 8b, paired per repetition, median" "$(fmt_x "$RATIO8_PAIRED")" \
    "target <= 1.50x: $(verdict "$RATIO8_PAIRED" 1.5)"
  time_row 8d "fabric8, 8 containers, startParallel" f8eight wall
  value_row 8e "ratio  8a / 8d" "$(fmt_x "$RATIO8_F8")"
  value_row 8f "ratio  as 8e, paired per repetition, median" "$(fmt_x "$RATIO8_F8_PAIRED")"
  value_row 8g "ratio  8d / 7c (what 8 vs 1 costs fabric8)" "$(fmt_x "$RATIO8_PEER")"
  echo
  echo "Peak memory of the Maven JVM (max RSS, /usr/bin/time -f %M)"
  printf '%-4s %-52s %10s  %10s  %10s\n' "row" "what" "median" "min" "max"
  mem_row 9a "mvn -o -q -B validate, empty project (row 1)" mvn
  mem_row 9b "cleanroom:run, 1 service + 1 step (row 2)" cr1
  mem_row 9c "cleanroom:run, 8 services + 1 step (row 6a)" cr8
  mem_row 9d "cleanroom:start cleanroom:stop, 1 service (7a)" crss1
  mem_row 9e "cleanroom:start cleanroom:stop, 8 services (8a)" crss8
  mem_row 9f "fabric8, 1 container (7c, reference)" f8one
  mem_row 9g "fabric8, 8 containers (8d, reference)" f8eight
  mem_row 9h "cleanroom:plugins (10l)" crplug
  echo
  echo "Per service and per goal (medians; 'each' = over every container of every repetition)"
  printf '%-4s %-47s %10s  %10s  %10s\n' "row" "what" "cleanroom" "fabric8" "CLI"
  cmp_row 10a "health wait: container running -> ready, 1 svc" "$(stat crss1 ctr_health)" \
    "$(stat f8one ctr_health)" "$(stat cli0 poll)"
  cmp_row 10b "  the same, each of 8" "$(stat crss8 ctr_health)" "$(stat f8eight ctr_health)" ""
  cmp_row 10c "logged: 'ready in' | 'Waited on url', 1 svc" "$(stat crss1 ready)" "$(stat f8one waited)" ""
  cmp_row 10d "  the same, each of 8" "$(stat crss8 ready)" "$(stat f8eight waited)" ""
  cmp_row 10e "container create -> start (daemon), each of 8" "$(stat crss8 ctr_create)" \
    "$(stat f8eight ctr_create)" ""
  cmp_row 10f "stop per container: 1st kill -> destroy, 1 svc" "$(stat crss1 ctr_stop)" \
    "$(stat f8one ctr_stop)" ""
  cmp_row 10g "  the same, each of 8" "$(stat crss8 ctr_stop)" "$(stat f8eight ctr_stop)" ""
  cmp_row 10h "stop goal ('--- stop' -> last removal), 1 svc" "$(stat crss1 stop_phase)" \
    "$(stat f8one stop_phase)" "$(stat cli0 removal)"
  cmp_row 10i "  the same, 8 services" "$(stat crss8 stop_phase)" "$(stat f8eight stop_phase)" \
    "$(stat cli8 removal)"
  cmp_row 10j "'Removed ... in' as logged, 1 svc" "$(stat crss1 removal)" "" ""
  cmp_row 10k "  the same, 8 services" "$(stat crss8 removal)" "" ""
  cmp_row 10l "plugin realm + service-type registration (*)" "$(stat crplug registration)" "" ""
  echo "     (*) '--- cleanroom:plugins' -> 'Available Service Plugins:' ($(stat crplug types) types): class realm,"
  echo "     mojo and engine classes, ServiceLoader discovery; an upper bound. Health-check latency per check"
  echo "     is not in the log (no line per check): it needs a unit-level (JMH) measurement of HealthProbes.http."
  echo
  printf '%-4s %-52s %10s  %10s  %10s\n' "row" "SurrealDB (stand-in with the real SurrealDB 3 engine)" "median" "min" "max"
  time_row 11a "cleanroom:run, 1 surrealdb service + 1 step" crsdb wall
  time_row 11b "  start to ready, as logged ('ready in')" crsdb ready
  echo
  echo "Where 7a's and 7c's time goes (medians of each phase, from log time stamps and docker events)"
  printf '     %-47s %10s  %10s  %10s\n' "phase of the start+stop run" "cleanroom" "fabric8" "difference"
  phase_row "JVM + Maven boot (-> 'Scanning for projects')" "$(stat crss1 boot)" "$(stat f8one boot)"
  phase_row "project, plugin resolution (-> '--- start')" "$(stat crss1 resolve)" "$(stat f8one resolve)"
  phase_row "set-up (-> first container 'create' event)" "$(stat crss1 setup)" "$(stat f8one setup)"
  phase_row "start phase (-> last ready / 'Waited on url')" "$(stat crss1 start_phase)" "$(stat f8one start_phase)"
  phase_row "hand-over (-> '--- stop')" "$(stat crss1 handover)" "$(stat f8one handover)"
  phase_row "stop phase (-> last removal line)" "$(stat crss1 stop_phase)" "$(stat f8one stop_phase)"
  phase_row "summary (-> last line)" "$(stat crss1 finish)" "$(stat f8one finish)"
  phase_row "JVM exit (last line -> process gone)" "$(stat crss1 exit)" "$(stat f8one exit)"
  phase_row "8 services: set-up" "$(stat crss8 setup)" "$(stat f8eight setup)"
  phase_row "8 services: start phase" "$(stat crss8 start_phase)" "$(stat f8eight start_phase)"
  phase_row "8 services: stop phase" "$(stat crss8 stop_phase)" "$(stat f8eight stop_phase)"
  echo
  echo "Where row 2's time goes (medians of each phase; they need not add up to the median wall time)"
  printf '     %-47s %10s  %10s  %10s\n' "phase of cleanroom:run (from log time stamps)" "cleanroom" "equivalent" "difference"
  phase_row "Maven: boot, plugin resolution, summary, exit (a)" "$(stat cr1 maven_part)" "$MVN_MED"
  phase_row "  JVM + Maven boot (-> 'Scanning for projects')" "$(stat cr1 boot)" ""
  phase_row "  stub project, plugin resolution (-> '--- run')" "$(stat cr1 resolve)" ""
  phase_row "  reports, verdict, summary (-> last line)" "$(stat cr1 finish)" ""
  phase_row "  JVM exit (last line -> process gone)" "$(stat cr1 exit)" ""
  phase_row "plugin set-up (-> 'Starting N service(s)') (b)" "$(stat cr1 setup)" "$(stat cli1 net)"
  phase_row "start phase (-> last 'ready') (c)" "$(stat cr1 start_phase)" "$(stat cli1 up)"
  phase_row "  'Service ... ready in' as logged" "$(stat cr1 ready)" ""
  phase_row "  CLI: docker run" "" "$(stat cli1 run)"
  phase_row "  CLI: docker port + curl poll until it answers" "" "$(stat cli1 poll)"
  phase_row "steps phase, 1 step (-> last 'Step') (d)" "$(stat cr1 steps_phase)" "$(stat cli1 exec)"
  phase_row "  'Step ... PASSED in' as logged" "$(stat cr1 step)" ""
  phase_row "removal phase (-> 'Removed ...') (e)" "$(stat cr1 removal_phase)" "$(stat cli1 removal)"
  phase_row "  'Removed ... in' as logged" "$(stat cr1 removal)" ""
  echo
  printf '     %-47s %10s  %10s  %10s\n' "20 steps (row 5) and 8 services (row 6)" "cleanroom" "equivalent" "difference"
  phase_row "steps phase growth per step, 20 vs 1 (f)" "$CR_STEP_PHASE" "$(stat cli20 exec)"
  phase_row "'Step ... PASSED in' as logged, 20-step file" "$(stat cr20 step)" "$(stat cli20 exec)"
  phase_row "plugin set-up, 8 services (g)" "$(stat cr8 setup)" "$(stat cli8 net)"
  phase_row "start phase, 8 services (h)" "$(stat cr8 start_phase)" "$(stat cli8 up)"
  phase_row "'Service ... ready in' as logged, each of 8" "$(stat cr8 ready)" ""
  phase_row "removal phase, 8 services (i)" "$(stat cr8 removal_phase)" "$(stat cli8 removal)"
  echo
  echo "Equivalents: (a) the whole of row 1. (b) docker network create; cleanroom's set-up also loads"
  echo "    the plugin and its engine, connects to Docker, reads the file, looks for dead runs to sweep and"
  echo "    creates the network. (c) docker run + docker port + curl polled every 50 ms. (d) one docker exec"
  echo "    wget. (e) docker rm -f + docker network rm. (f) cleanroom: (steps phase of row 5a - of row 2) / 19;"
  echo "    equivalent: the median docker exec of the 20. (g)-(i) the same phases of row 6d (8 docker run in"
  echo "    parallel, each polled; one docker rm -f of all 8)."
  if ((LEFT_BY_CR > 0)); then
    echo "WARNING: $LEFT_BY_CR cleanroom or fabric8 run(s) left containers or networks behind (removed by this script)"
  fi
  if ((UNPARSED > 0)); then
    echo "WARNING: the log of $UNPARSED run(s) lacked the expected lines; phases are from the others"
  fi
} >"$WORK/table.txt"

# The sweep above runs after every cleanroom run; check once more that nothing is left.
if [[ -n $(leftovers container)$(leftovers network) ]]; then
  echo "WARNING: containers or networks were left behind at the end (removed on exit)" >>"$WORK/table.txt"
else
  echo "Left behind: no container, no network." >>"$WORK/table.txt"
fi

save_outputs
cp "$WORK/table.txt" "$OUT/latest.txt"
mkdir -p "$OUT/history"
cp "$WORK/table.txt" "$OUT/history/$(date -u +%Y%m%dT%H%M%SZ).txt"
FINISHED=1
echo
cat "$WORK/table.txt"
echo
echo "Written to $OUT/latest.txt (samples: $OUT/latest-raw.tsv, Maven logs: $OUT/logs/)"
