#!/usr/bin/env bash
# Builds tessera-bench (and the resource-server library it measures) without tests and prints the
# runtime classpath: bench/target/classes plus every dependency jar. Build output goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# Online only when something is missing from ~/.m2 (JMH on a fresh machine); offline otherwise.
offline="-o"
[ -d "$HOME/.m2/repository/org/openjdk/jmh/jmh-core/1.37" ] || offline=""
./mvnw -B -q $offline -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
echo "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")"
