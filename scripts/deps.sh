#!/usr/bin/env bash
# deps.sh: installs the Debian 12 packages mvm needs to build and test, those that are missing.
set -euo pipefail

packages=(gcc libc6-dev linux-libc-dev meson ninja-build nasm pkg-config libcmocka-dev python3
	  util-linux clang libclang-rt-14-dev zlib1g-dev seabios libpixman-1-dev libpng-dev
	  qemu-system-x86 mtools dosbox bcc elks-libc
	  libegl-dev libgles-dev libegl-mesa0 libgl1-mesa-dri libgbm-dev libdrm-dev
	  libwayland-dev wayland-protocols libweston-10-dev weston)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
# tests/drm downloads (apt-get download, nothing installed) Debian's kernel and busybox for its
# QEMU VM: apt's package lists must know them.
policy=$(apt-cache policy linux-image-amd64 busybox-static 2>/dev/null || true)
lists_stale=false
[[ $policy == *"Candidate: (none)"* || $policy != *Candidate* ]] && lists_stale=true
[ ${#missing[@]} -eq 0 ] && ! $lists_stale && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "scripts/deps.sh: updating apt's package lists"
"${sudo[@]}" apt-get update -qq
[ ${#missing[@]} -eq 0 ] && exit 0
echo "scripts/deps.sh: installing ${missing[*]}"
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
	"${missing[@]}"
