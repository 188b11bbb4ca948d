#!/usr/bin/env bash
# Installs what Deja's tests need and a fresh machine lacks: the AArch64 cross
# binutils and gcc (guest kernels), QEMU (the reference emulator for differential
# tests), dtc (checks the device trees Deja builds), cpio (packs the Linux
# guest's initramfs, scripts/linux-guest.sh), gdb-multiarch (drives the gdb
# stub in its tests), Jupyter with pandas and matplotlib (runs notebooks/,
# scripts/notebooks.sh), nodejs with npm (bundles the page of deja ui and deja
# report; ReleasedDuckDbTest loads docs/deja.sql into DuckDB's released Node.js
# client) and chromium with its driver (the UI's browser tests). Idempotent:
# does nothing when everything is present.
set -euo pipefail
need=()
command -v aarch64-linux-gnu-as >/dev/null 2>&1 || need+=(binutils-aarch64-linux-gnu)
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need+=(gcc-aarch64-linux-gnu)
command -v qemu-system-aarch64 >/dev/null 2>&1 || need+=(qemu-system-arm)
command -v make >/dev/null 2>&1 || need+=(make)
command -v dtc >/dev/null 2>&1 || need+=(device-tree-compiler)
command -v cpio >/dev/null 2>&1 || need+=(cpio)
command -v gdb-multiarch >/dev/null 2>&1 || need+=(gdb-multiarch)
# Debian's own python3 (what Jupyter's python3 kernel runs), not whichever python3 is first on PATH.
if ! command -v jupyter-nbconvert >/dev/null 2>&1 || [ ! -x /usr/bin/python3 ] \
    || ! /usr/bin/python3 -c "import ipykernel, pandas, matplotlib, PIL" >/dev/null 2>&1; then
  need+=(jupyter-notebook jupyter-nbconvert python3-nbconvert python3-ipykernel python3-pandas python3-matplotlib)
fi
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: installing ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
