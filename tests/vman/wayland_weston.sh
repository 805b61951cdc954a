#!/bin/sh
# wayland_weston.sh RENDERER CLIENT: runs a Wayland test client against a private
# headless Weston (tests/weston_headless.sh) with the renderer asked for (pixman or gl),
# Weston's protocol log for the client to read (VMAN_TEST_WESTON_LOG) and the directory
# for its screenshots (VMAN_TEST_SHOT_DIR).
set -u
case ${1:-} in
pixman | gl) ;;
*)
	echo "usage: wayland_weston.sh pixman|gl CLIENT" >&2
	exit 2
	;;
esac
client=${2:?usage: wayland_weston.sh pixman|gl CLIENT}
. "$(dirname "$0")/../weston_headless.sh"

weston_require
if ! weston_start "$1" --logger-scopes=log,proto; then
	if [ "$1" = gl ] && grep -qi 'egl\|gl.renderer' "$weston_dir/weston.log" 2>/dev/null; then
		echo "SKIP weston: its GL renderer cannot start here"
		exit 77
	fi
	exit 1
fi

VMAN_TEST_WESTON_LOG="$weston_dir/weston.log" VMAN_TEST_SHOT_DIR="$weston_dir/shots" \
	weston_client "$client"
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "weston's log (without the protocol):"
	grep -v '\[proto\]' "$weston_dir/weston.log" | tail -n 20
fi
exit "$rc"
