#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what is missing (Debian's
# AArch64 binutils and QEMU, the reference emulator), builds the guest kernels,
# then builds and tests every module with Maven on JDK 25, then executes the
# notebooks (scripts/notebooks.sh; the Linux one only with the Linux guest).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export JAVA_HOME=${DEJA_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
"$root/scripts/install-deps.sh"
make -s -C kernels
mvn -B verify "$@"
"$root/scripts/notebooks.sh"
