#!/usr/bin/env bash
# Builds the benchmarks and runs them (about 6 minutes on 2 cores), then prints
# JMH's table and a summary with the ratios: TokenValidator.validate / raw RSASSAVerifier.verify
# (target >= 90 %) and ACCP / JDK RS256-4096 signing.
#
#   bench/run-jmh.sh                          # everything
#   bench/run-jmh.sh Signing                  # only benchmarks matching a regex
#   bench/run-jmh.sh -i 5 -r 5s               # longer measurement; any JMH option replaces the default
#   bench/run-jmh.sh -p keyBits=4096          # skip the 2048-bit variant (halves the time)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/target/jmh"

# Iterations come from the classes' annotations: validation warms up 5 x 5 s (its JIT needs that long
# here), signing 2 x 3 s; both measure 3 x 3 s. -f 1 gives every benchmark/parameter pair a fresh JVM,
# which the ACCP variant needs (the provider is installed before any key exists). JMH refuses an
# option given twice, so a default is dropped when the caller passes the same option.
defaults=(-f 1 -foe true -rf json -rff "$out/results.json")
args=()
i=0
while [ $i -lt ${#defaults[@]} ]; do
  option="${defaults[$i]}"
  value="${defaults[$((i + 1))]}"
  given=false
  for arg in "$@"; do [ "$arg" = "$option" ] && given=true; done
  $given || args+=("$option" "$value")
  i=$((i + 2))
done

cp="$("$here/build-classpath.sh")"
mkdir -p "$out"
echo "Running JMH on $(nproc) cores. Other load on this machine shows up as noise: the ratios, measured" >&2
echo "side by side in this one run, are more telling than the absolute numbers." >&2
exec timeout 1800 java -cp "$cp" dev.tessera.bench.RunBenchmarks "${args[@]}" "$@"
