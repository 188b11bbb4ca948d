#!/usr/bin/env bash
# Developer loop for sim-core without Maven: compiles main sources (and the
# generated decoder) plus the shared test helpers and the given test files
# into a private work directory, then runs those tests with JUnit's console
# launcher. Lets several people (or agents) test side by side.
#   scripts/dev-test.sh WORKDIR path/to/FooTest.java [more test files...]
# WORKDIR: where the classes go (created; its main/, test/ and gen/ are
# replaced). Test files: sim-core tests to run; test classes they use (another
# test's constants, helpers) are compiled from sim-core/src/test/java as
# needed. The JUnit console launcher and AssertJ are fetched from Maven
# Central into ~/.m2 on first use (scripts/lib/junit-classpath.sh).
set -euo pipefail
JDK=${DEJA_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
work=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/junit-classpath.sh
. "$root/scripts/lib/junit-classpath.sh"
rm -rf "$work/main" "$work/test" "$work/gen"; mkdir -p "$work/main" "$work/test" "$work/gen"
"$JDK/java" "$root/sim-core/src/build/DecoderGenerator.java" "$root/sim-core/src/main/decode/a64.decode" "$work/gen"
"$JDK/java" "$root/sim-core/src/build/EventSchemaGenerator.java" "$root/sim-core/src/main/schema/events.schema" "$work/gen"
"$JDK/javac" -nowarn -d "$work/main" $(find "$root/sim-core/src/main/java" "$work/gen" -name '*.java')
classes=()
for f in "$@"; do
  c=${f#*src/test/java/}; c=${c%.java}; classes+=(--select-class "${c//\//.}")
done
"$JDK/javac" -nowarn -d "$work/test" -cp "$work/main:$cp" -sourcepath "$root/sim-core/src/test/java" \
  $(find "$root/sim-core/src/test/java/io/deja/core/testing" -name '*.java') "$@"
cp -r "$root/sim-core/src/test/resources/." "$work/test/"
"$JDK/java" -Xss8m -cp "$work/main:$work/test:$cp" org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --details=summary --details-theme=ascii "${classes[@]}"
