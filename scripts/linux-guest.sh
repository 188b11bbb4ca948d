#!/usr/bin/env bash
# Prepares Deja's Linux guest and prints the directory that holds it:
#   Image            Debian's arm64 kernel (linux-image-arm64), an uncompressed arm64 Image
#   initrd.cpio.gz   a byte-reproducible initramfs: busybox-static and kernels/linux/init
#   VERSIONS         the Debian package versions both came from
# The packages are fetched once with apt-get download (never installed) and
# cached under ${XDG_CACHE_HOME:-~/.cache}/deja/linux; the initramfs is rebuilt
# when kernels/linux changes. --refresh fetches the newest packages again.
# Needs Debian's apt with the arm64 architecture added (done here, as root or
# with sudo) and cpio.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${DEJA_LINUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deja/linux}
refresh=0
[ "${1:-}" = "--refresh" ] && refresh=1
mkdir -p "$cache"

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
say() { echo "linux-guest: $*" >&2; }

if [ $refresh = 1 ] || [ ! -f "$cache/Image" ] || [ ! -f "$cache/busybox" ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    say "adding Debian's arm64 architecture (apt-get download of arm64 packages needs it)"
    $sudo dpkg --add-architecture arm64
    $sudo apt-get update -qq
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # The meta package names the current kernel package; both are downloaded.
  kernel_pkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
  if [ -z "$kernel_pkg" ]; then
    $sudo apt-get update -qq
    kernel_pkg=$(apt-cache depends linux-image-arm64:arm64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
  fi
  [ -n "$kernel_pkg" ] || { say "apt knows no linux-image-arm64:arm64 package"; exit 1; }
  say "downloading $kernel_pkg and busybox-static:arm64 (about 60 MB, once)"
  # apt's sandbox user cannot write to a root-owned mktemp directory: let it.
  chmod 777 "$work"
  (cd "$work" && apt-get download -q "$kernel_pkg" busybox-static:arm64 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
  ls "$work"/linux-image-*.deb "$work"/busybox-static_*.deb >/dev/null
  mkdir "$work/x"
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
  image=$(ls "$work"/x/boot/vmlinuz-* | head -1)
  cp "$image" "$cache/Image.tmp" && mv "$cache/Image.tmp" "$cache/Image"
  cp "$work/x/bin/busybox" "$cache/busybox.tmp" && mv "$cache/busybox.tmp" "$cache/busybox"
  for deb in "$work"/*.deb; do dpkg-deb -f "$deb" Package Version | paste -sd' '; done | sort > "$cache/VERSIONS"
  rm -f "$cache/initrd.cpio.gz"
fi

# The initramfs: rebuilt when its inputs change, identical bytes for identical inputs
# (fixed owner and mtime, sorted entries, gzip without a name or time stamp).
initrd="$cache/initrd.cpio.gz"
if [ ! -f "$initrd" ] || [ -n "$(find "$root/kernels/linux" "$cache/busybox" "${BASH_SOURCE[0]}" -newer "$initrd" -print -quit)" ]; then
  command -v cpio >/dev/null || { $sudo apt-get install -y -qq --no-install-recommends cpio >/dev/null; }
  tree=$(mktemp -d)
  mkdir -p "$tree/bin" "$tree/proc" "$tree/sys" "$tree/dev" "$tree/tmp" "$tree/etc/deja" "$tree/root"
  cp "$cache/busybox" "$tree/bin/busybox"
  cp "$root/kernels/linux/init" "$tree/init"
  cp "$root/kernels/linux/known.txt" "$tree/etc/deja/known.txt"
  chmod 755 "$tree/bin/busybox" "$tree/init" "$tree"/proc "$tree"/sys "$tree"/dev "$tree"/bin "$tree"/etc "$tree"/etc/deja "$tree"/root
  chmod 1777 "$tree/tmp"
  chmod 644 "$tree/etc/deja/known.txt"
  find "$tree" -exec touch -h -d @0 {} +
  (cd "$tree" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -n -9 > "$initrd.tmp"
  mv "$initrd.tmp" "$initrd"
  rm -rf "$tree"
fi
echo "$cache"
