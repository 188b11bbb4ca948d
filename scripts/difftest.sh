#!/usr/bin/env bash
# Long differential run of Deja against QEMU 7.2 (DifferentialSoakTest):
#   scripts/difftest.sh [MILLIONS] [SEED]
# MILLIONS (default 1; 0.05 is fine) million generated instructions compared step by step,
# as many random words run alone in Deja, MILLIONS x 20,000 random words
# compared. SEED (default: new each run, printed) replays a run. Failing blocks
# are kept under ${TMPDIR:-/tmp}/deja-difftest-failures (image, QEMU log, report).
# Maven-free, like scripts/dev-test.sh: compiles sim-core and its tests into
# $DEJA_DIFFTEST_WORK (default: a fresh temporary directory, removed at the
# end). DEJA_DIFFTEST_ONLY=REGEX draws only the rows whose name or handler
# (Class.method) it matches. Threads: DEJA_DIFFTEST_THREADS (default: the number of CPUs). Needs
# qemu-system-aarch64 and binutils-aarch64-linux-gnu (scripts/install-deps.sh).
set -euo pipefail
export DEJA_DIFFTEST_MILLIONS=${1:-1}
if [ $# -ge 2 ]; then export DEJA_DIFFTEST_SEED=$2; fi
JDK=${DEJA_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${DEJA_DIFFTEST_WORK:-}" ]; then
  work=$DEJA_DIFFTEST_WORK
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/deja-difftest-work.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
# shellcheck source=lib/junit-classpath.sh
. "$root/scripts/lib/junit-classpath.sh"
rm -rf "$work/main" "$work/test" "$work/gen"; mkdir -p "$work/main" "$work/test" "$work/gen"
"$JDK/java" "$root/sim-core/src/build/DecoderGenerator.java" "$root/sim-core/src/main/decode/a64.decode" "$work/gen"
"$JDK/java" "$root/sim-core/src/build/EventSchemaGenerator.java" "$root/sim-core/src/main/schema/events.schema" "$work/gen"
"$JDK/javac" -nowarn -d "$work/main" $(find "$root/sim-core/src/main/java" "$work/gen" -name '*.java')
"$JDK/javac" -nowarn -d "$work/test" -cp "$work/main:$cp" \
  $(find "$root/sim-core/src/test/java/io/deja/core/testing" "$root/sim-core/src/test/java/io/deja/core/difftest" -name '*.java')
cp -r "$root/sim-core/src/test/resources/." "$work/test/"
"$JDK/java" -Xss8m -cp "$work/test:$work/main:$cp" org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --details=summary --details-theme=ascii --select-class io.deja.core.difftest.DifferentialSoakTest
