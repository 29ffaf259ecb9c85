#!/usr/bin/env bash
# What a build pays for the JSON a plugin reads and writes: the spi's Json against jackson-jr,
# each in a fresh JVM (class loading included), alternating, N rounds; prints the medians.
# Usage: bench/json-startup.sh [rounds]   (needs the engine built: ./mvnw -q -pl cleanroom-engine package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-15}
engine=$(ls cleanroom-engine/target/cleanroom-engine-*-SNAPSHOT.jar | grep -v tests | head -1)
m2=${HOME}/.m2/repository/com/fasterxml/jackson
jr=$m2/jr/jackson-jr-objects/2.22.4/jackson-jr-objects-2.22.4.jar
core=$m2/core/jackson-core/2.22.4/jackson-core-2.22.4.jar
if [[ ! -f $jr || ! -f $core ]]; then
  ./mvnw -B -q dependency:get -Dartifact=com.fasterxml.jackson.jr:jackson-jr-objects:2.22.4
fi
out=$(mktemp -d)
javac -d "$out" -cp "$engine:$jr:$core" bench/json/JsonStartup.java
for _ in $(seq "$rounds"); do
  java -Xshare:auto -cp "$out:$engine" JsonStartup spi >> "$out/spi"
  java -Xshare:auto -cp "$out:$jr:$core" JsonStartup jr >> "$out/jr"
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
spi=$(median "$out/spi"); jrm=$(median "$out/jr")
printf 'spi Json:    median %6.1f ms over %d runs\n' "$(echo "$spi/1000000" | bc -l)" "$rounds"
printf 'jackson-jr:  median %6.1f ms over %d runs\n' "$(echo "$jrm/1000000" | bc -l)" "$rounds"
printf 'ratio jackson-jr / spi Json: %.1fx\n' "$(echo "$jrm/$spi" | bc -l)"
rm -rf "$out"
