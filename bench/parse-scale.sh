#!/usr/bin/env bash
# How parsing time grows with the number of services in one file (1,000 to 20,000), best of 3 per
# size in one JVM. Linear growth shows as x5, x2, x2 between the rows; a quadratic cost as x25, x4, x4.
# Usage: bench/parse-scale.sh   (builds the engine and plugins jars offline first)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o -pl cleanroom-engine,cleanroom-plugins package -DskipTests -Dspotless.check.skip=true -Djapicmp.skip=true
cp=$(ls cleanroom-engine/target/cleanroom-engine-*-SNAPSHOT.jar | grep -v tests | head -1)
cp="$cp:$(ls cleanroom-plugins/target/cleanroom-plugins-*-SNAPSHOT.jar | grep -v tests | head -1)"
# The engine's runtime class path as Maven resolves it (tomlj needs the antlr runtime it was built with).
deps=$(./mvnw -B -q -o -pl cleanroom-engine dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=/dev/stdout)
out=$(mktemp -d)
javac -d "$out" -cp "$cp:$deps" bench/parse/ParseScale.java
java -cp "$out:$cp:$deps" ParseScale
rm -rf "$out"
