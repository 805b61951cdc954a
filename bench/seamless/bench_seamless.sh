#!/bin/sh
# bench_seamless: the latency from a guest's doorbell to the Weston frame that shows the
# change (bench/README.md, "seamless"). Starts a private headless Weston
# (tests/weston_headless.sh) for each mode asked for and runs seamless_latency in it:
#   seamless  with mvm-seamless.so loaded and seamless_latency allowed to bind its global
#             (MVM_SEAMLESS_ALLOW_EXE): the guest window is an mvm-seamless guest window
#   windowed  without the module: the guest window is an xdg_toplevel
# Meson writes the paths below into the build tree's copy.
set -u
client='@CLIENT@'
module='@MODULE@'
weston_headless='@WESTON_HEADLESS@'

usage() {
	cat <<'EOF'
Usage: bench_seamless [--renderer pixman|gl|both] [--mode seamless|windowed|both]
                      [--samples N] [--warmup N]

Runs seamless_latency (--help says what it measures) in a private headless Weston with
the renderer asked for (default pixman) and in each mode (default both). --iterations
and --repeat, which bench/run may pass to every benchmark, are ignored: a sample takes
tens of milliseconds here, not microseconds. Exits 77 after "SKIP ..." when weston or
mvm-seamless.so is missing, 1 when a run fails.
EOF
}

# choice VALUE FIRST SECOND: VALUE if it is one of them, both for "both", else usage.
choice() {
	case $1 in
	"$2" | "$3") echo "$1" ;;
	both) echo "$2 $3" ;;
	*) usage >&2 && exit 2 ;;
	esac
}

renderers=pixman
modes="seamless windowed"
client_args=
while [ $# -gt 0 ]; do
	case $1 in
	--renderer | --mode | --samples | --warmup | --iterations | --repeat)
		if [ $# -lt 2 ]; then
			usage >&2
			exit 2
		fi
		;;
	esac
	case $1 in
	--renderer)
		renderers=$(choice "$2" pixman gl) || exit 2
		shift 2
		;;
	--mode)
		modes=$(choice "$2" seamless windowed) || exit 2
		shift 2
		;;
	--samples | --warmup)
		client_args="$client_args $1 $2"
		shift 2
		;;
	--iterations | --repeat)
		shift 2
		;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		usage >&2
		exit 2
		;;
	esac
done

if [ -z "$module" ] || [ ! -f "$module" ]; then
	echo "SKIP bench_seamless: mvm-seamless.so is not built (libweston-10 or weston's headers missing)"
	exit 77
fi
# shellcheck source=../../tests/weston_headless.sh
. "$weston_headless"
weston_require

# run RENDERER MODE: 0, 1 (failed) or 77 (this Weston cannot run the renderer).
run() {
	echo "== weston headless, $1 renderer, $2"
	weston_env=
	modules=
	if [ "$2" = seamless ]; then
		weston_env="MVM_SEAMLESS_ALLOW_EXE=$client"
		modules=--modules=$module
	fi
	# $modules is empty or one word.
	# shellcheck disable=SC2086
	if ! weston_start "$1" $modules; then
		if [ "$1" = gl ] && grep -qi 'egl\|gl.renderer' "$weston_dir/weston.log" 2>/dev/null; then
			echo "SKIP bench_seamless: weston's GL renderer cannot start here"
			return 77
		fi
		return 1
	fi
	# $client_args is split into words on purpose.
	# shellcheck disable=SC2086
	weston_client "$client" --expect "$2" $client_args
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "weston's log:"
		tail -n 20 "$weston_dir/weston.log"
		rc=1
	fi
	weston_cleanup
	weston_pid=
	return "$rc"
}

status=0
# Not "renderer": weston_headless.sh has its own.
for bench_renderer in $renderers; do
	for bench_mode in $modes; do
		run "$bench_renderer" "$bench_mode"
		rc=$?
		if [ "$rc" -eq 1 ] || [ "$status" -eq 0 ]; then
			[ "$rc" -ne 0 ] && status=$rc
		fi
	done
done
exit "$status"
