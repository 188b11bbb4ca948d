#!/usr/bin/env bash
# Executes the Jupyter notebooks in notebooks/ headless, each into
# target/notebooks/NAME.ipynb (their recordings go to target/notebooks/work), and
# fails on the first cell that raises. boot-diff boots Linux twice: it runs when
# scripts/linux-guest.sh can prepare the Linux guest, and otherwise is skipped,
# or fails under CI=true, as the Linux tests do.
#   scripts/notebooks.sh                  every notebook
#   scripts/notebooks.sh heisenbug        the ones named
#   scripts/notebooks.sh --save [NAME..]  also writes the executed notebooks back
#                                         into notebooks/ (the outputs committed),
#                                         without per-cell timings
# Needs Debian's jupyter-nbconvert, python3-ipykernel, python3-pandas and
# python3-matplotlib (scripts/install-deps.sh installs them).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
save=0
if [ "${1:-}" = "--save" ]; then save=1; shift; fi
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(heisenbug exits-and-interrupts boot-diff)
out="$root/target/notebooks"
mkdir -p "$out"
command -v jupyter-nbconvert >/dev/null || "$root/scripts/install-deps.sh"

# Build the CLI and the kernels before the first cell needs them (a cell would otherwise time the build).
./deja --version >/dev/null

for name in "${names[@]}"; do
  nb="notebooks/$name.ipynb"
  [ -f "$nb" ] || { echo "notebooks: no $nb" >&2; exit 2; }
  if [ "$name" = boot-diff ]; then
    if ! log=$(scripts/linux-guest.sh 2>&1 >/dev/null); then
      if [ "${CI:-}" = true ]; then
        echo "notebooks: $nb needs the Linux guest, which scripts/linux-guest.sh could not prepare: $log" >&2
        exit 1
      fi
      echo "notebooks: skipping $nb (no Linux guest: scripts/linux-guest.sh failed)" >&2
      continue
    fi
  fi
  start=$(date +%s)
  # A cell that raises makes nbconvert exit non-zero (set -e stops here); the timeout stops a hung cell.
  jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=1800 \
      --output-dir "$out" "$nb" 2> "$out/$name.log" || { cat "$out/$name.log" >&2; echo "notebooks: $nb failed" >&2; exit 1; }
  echo "notebooks: $nb ran in $(( $(date +%s) - start )) s -> target/notebooks/$name.ipynb"
  if [ $save = 1 ]; then
    jupyter nbconvert --to notebook --ClearMetadataPreprocessor.enabled=True \
        --ClearMetadataPreprocessor.clear_notebook_metadata=False \
        --output-dir notebooks "$out/$name.ipynb" 2>> "$out/$name.log"
    echo "notebooks: saved $nb"
  fi
done
