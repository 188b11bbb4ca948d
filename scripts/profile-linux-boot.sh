#!/usr/bin/env bash
# Where a standalone `deja run` of the scripted Debian boot spends its CPU: samples
# every thread of the process with perf (499 Hz, call graphs through frame pointers and
# the JVM's perf map) and prints CPU seconds per thread, and for the thread that runs
# the guest a breakdown by what it was doing (the first rule a sample's stack matches).
# Needs perf (Debian: linux-perf) and the Linux guest (scripts/linux-guest.sh).
# Usage: scripts/profile-linux-boot.sh [OUT_DIR]   (perf.data and the samples stay there)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
command -v perf >/dev/null || { echo "profile-linux-boot: perf is not installed (apt-get install linux-perf)" >&2; exit 1; }
L=$("$root/scripts/linux-guest.sh")
java=${DEJA_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
# Built and with its ahead-of-time cache trained, as ./deja runs it (a tiny run does both if needed).
"$root/deja" run --binary "$root/kernels/build/arm64_hello.virt.bin" --board virt --max-insns 1000 >/dev/null 2>&1 || true
aot=()
[ -f "$root/cli/target/deja.aot" ] && aot=(-XX:AOTCache="$root/cli/target/deja.aot" -Xlog:aot=off -Xlog:cds=off)
uptime
/usr/bin/time -o "$out/time.txt" -f "process: %e s wall, %U s user, %S s system, %M KB max RSS" \
  perf record -q -F 499 -g -o "$out/perf.data" -- "$java" @"$root/jvm.flags" -Xss8m -Xms1g -Ddeja.home="$root" "${aot[@]}" \
    -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer \
    -cp "$root/cli/target/deja-cli.jar:$root/cli/target/lib/*" io.deja.cli.Main \
    run --kernel "$L/Image" --initrd "$L/initrd.cpio.gz" --append "console=ttyAMA0 rdinit=/init" --mem 512M >"$out/run.log" 2>&1
grep -E "^(instructions|host time):" "$out/run.log" || true
cat "$out/time.txt"
uptime
perf script -i "$out/perf.data" -F comm,tid,time,ip,sym 2>/dev/null >"$out/samples.txt"
python3 - "$out/samples.txt" <<'EOF'
import collections, sys
HZ = 499
samples, cur = [], None
for line in open(sys.argv[1], errors="replace"):
    if not line.strip():
        if cur: samples.append(cur)
        cur = None
    elif line[0] not in " \t":
        p = line.split()
        i = next(k for k, x in enumerate(p) if x.endswith(":"))
        cur = (" ".join(p[:i - 1]), p[i - 1], [])
    else:
        s = line.strip().split(None, 1)
        cur[2].append(s[-1])
if cur: samples.append(cur)
threads = collections.Counter((s[0], s[1]) for s in samples)
run = threads.most_common(1)[0][0]
print(f"{len(samples) / HZ:.2f} s of CPU sampled; by thread:")
by_name = collections.Counter()
for (comm, tid), n in threads.items():
    by_name["the run thread" if (comm, tid) == run else comm] += n
for name, n in by_name.most_common(8):
    print(f"  {n / HZ:6.2f} s  {name}")
def any_in(frames, *words, depth=None):
    return any(w in f for f in frames[:depth] for w in words)
rules = [
    ("guest RAM allocation (new byte[], page faults)", lambda f: any_in(f, "newarray")),
    ("block translation (class file, definition)", lambda f: any_in(f, "BlockTranslator", "SharedBlocks.translate")),
    ("TLB walks and fills", lambda f: any_in(f, "TableWalker", "Mmu.fill", "addLargePage", "Mmu.lookup", depth=6)),
    ("memory slow path (MMIO, page crossings, store bookkeeping)", lambda f: any_in(f, "slowRead", "slowWrite", "physicalRead", "physicalWrite", depth=4)),
    ("translated blocks", lambda f: any_in(f, "GuestBlock")),
    ("interpreter: the dispatch call's megamorphic stub", lambda f: "vtable chunks" in f[0] or "itable" in f[0]),
    ("host page faults (other)", lambda f: any_in(f, "exc_page_fault")),
    ("interpreter: handlers", lambda f: any_in(f, "A64Dispatch", "io.deja.core.isa", "Mmu.", "Cpu.", depth=3)),
    ("interpreter: the run loop (Vcpu.execute itself)", lambda f: "Vcpu.execute" in f[0]),
    ("service points, timer, devices", lambda f: any_in(f, "Vcpu.service", "devices", "GenericTimer", "Machine.", depth=5)),
    ("other, under the run loop", lambda f: any_in(f, "Vcpu.execute")),
    ("JVM start, class loading, loading the images (before and around the run)", lambda f: True),
]
mine = [s for s in samples if (s[0], s[1]) == run and s[2]]
count = collections.Counter()
for s in mine:
    count[next(name for name, rule in rules if rule(s[2]))] += 1
print(f"the run thread, {len(mine) / HZ:.2f} s:")
for name, n in count.most_common():
    print(f"  {n / HZ:6.2f} s {100 * n / len(mine):5.1f}%  {name}")
EOF
