#!/usr/bin/env bash
# Builds the example protected API with the Maven wrapper (when its sources changed) and runs it.
# Defaults target `./tessera serve --dev`; configure with environment variables (run.sh --help).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/examples/resource-api/target/tessera-example-resource-api.jar"
stale=""
if [ -f "$jar" ]; then
  stale="$(find "$root/examples/resource-api/src/main" "$root/examples/resource-api/pom.xml" \
    "$root/tessera-resource-server/src/main" "$root/tessera-resource-server/pom.xml" "$root/pom.xml" \
    -newer "$jar" -print -quit)"
fi
if [ ! -f "$jar" ] || [ -n "$stale" ]; then
  echo "resource-api: building the example (first run takes a minute)..." >&2
  # -Dtessera.example.run leaves tessera-server (the end-to-end test's dependency) out of this build,
  # so a running `./tessera serve` keeps its tessera.jar.
  (cd "$root" && ./mvnw -B -q -Dtessera.example.run -Dmaven.test.skip=true \
    -pl examples/resource-api -am package) >&2
fi
exec java ${API_JAVA_OPTS:-} -jar "$jar" "$@"
