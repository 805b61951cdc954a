#!/bin/sh
# wayland_weston.sh RENDERER CLIENT: runs a Wayland test client against a
# private headless Weston: its own XDG_RUNTIME_DIR and socket, the renderer
# asked for (pixman, or gl: Mesa's llvmpipe without a GPU; the headless
# backend's default renders nothing and its screenshots never come),
# --debug for weston-screenshooter, a plain background and no animations
# (weston.ini), a protocol log the client reads (VMAN_TEST_WESTON_LOG),
# and a directory for its screenshots (VMAN_TEST_SHOT_DIR). Weston and the
# files go at the end, whatever happened.
set -u
case ${1:-} in
pixman) renderer=--use-pixman ;;
gl) renderer=--use-gl ;;
*)
	echo "usage: wayland_weston.sh pixman|gl CLIENT" >&2
	exit 2
	;;
esac
client=${2:?usage: wayland_weston.sh pixman|gl CLIENT}

for tool in weston weston-screenshooter; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP $tool: not installed"
		exit 77
	fi
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/vman-weston.XXXXXX") || exit 1
weston_pid=
cleanup() {
	if [ -n "$weston_pid" ]; then
		kill "$weston_pid" 2>/dev/null
		wait "$weston_pid" 2>/dev/null
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

mkdir -m 0700 "$dir/runtime" "$dir/shots" || exit 1
cat > "$dir/weston.ini" <<'INI'
[core]
idle-time=0

[shell]
background-color=0xff204060
panel-position=none
animation=none
close-animation=none
startup-animation=none
focus-animation=none
locking=false
INI

socket=vman-test-$$
XDG_RUNTIME_DIR="$dir/runtime" weston --backend=headless-backend.so "$renderer" \
	--socket="$socket" --idle-time=0 --width=1024 --height=768 --debug \
	--config="$dir/weston.ini" --log="$dir/weston.log" --logger-scopes=log,proto \
	>"$dir/weston.out" 2>&1 &
weston_pid=$!

# Up to 10 s for the socket; a Weston that died says why.
tries=0
while [ ! -S "$dir/runtime/$socket" ]; do
	if ! kill -0 "$weston_pid" 2>/dev/null || [ "$tries" -ge 100 ]; then
		echo "weston did not start:"
		cat "$dir/weston.out"
		grep -v '\[proto\]' "$dir/weston.log" 2>/dev/null | tail -n 20
		if [ "$1" = gl ] && grep -qi 'egl\|gl.renderer' "$dir/weston.log" 2>/dev/null; then
			echo "SKIP weston: its GL renderer cannot start here"
			exit 77
		fi
		exit 1
	fi
	sleep 0.1
	tries=$((tries + 1))
done

XDG_RUNTIME_DIR="$dir/runtime" WAYLAND_DISPLAY="$socket" VMAN_TEST_WESTON_LOG="$dir/weston.log" \
	VMAN_TEST_SHOT_DIR="$dir/shots" "$client"
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "weston's log (without the protocol):"
	grep -v '\[proto\]' "$dir/weston.log" | tail -n 20
fi
exit "$rc"
