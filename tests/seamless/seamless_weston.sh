#!/bin/sh
# seamless_weston.sh CASE CLIENT [MODULE]: runs a case of seamless_client against a
# private headless Weston (tests/weston_headless.sh, pixman renderer) that loads
# mvm-seamless.so (MODULE). MVM_SEAMLESS_ALLOW_EXE lets CLIENT bind the module's global
# as if it were vman. Cases:
#   scene   windows placed, restacked, moved and destroyed (seamless_client scene); then
#           the client exits with a window shown and the next client sees none
#   cap     a client's window beyond the cap stays hidden, its connection lives
#   access  a copy of CLIENT at another path does not see the global, while CLIENT does
#   focus   with MVM_SEAMLESS_TEST_INPUT=1, the test seat's clicks focus guest windows
#   overlap with it too, a click brings a guest window above a host window and back
#   move    with it too, Super + drag moves a guest window and tells the client
#   close   with it too, Super+F4 asks the focused guest window to close
# Weston must still be running at the end of each case.
set -u
case_name=${1:-}
client=${2:-}
module=${3:-}
case $case_name in
scene | cap | access | focus | overlap | move | close) ;;
*)
	echo "usage: seamless_weston.sh scene|cap|access|focus|overlap|move|close CLIENT [MODULE]" >&2
	exit 2
	;;
esac
if [ -z "$module" ] || [ ! -f "$module" ]; then
	echo "SKIP mvm-seamless.so: not built (libweston-10 or weston's headers missing)"
	exit 77
fi
. "$(dirname "$0")/../weston_headless.sh"
weston_require

client=$(realpath "$client") || exit 1

test_input=
case $case_name in
focus | overlap | move | close) test_input=MVM_SEAMLESS_TEST_INPUT=1 ;;
esac
weston_env="$test_input MVM_SEAMLESS_ALLOW_EXE=$client $(weston_module_env "$module")"
weston_start pixman --modules="$module" || exit 1
dir=$weston_dir

run_client() {
	SEAMLESS_TEST_SHOT_DIR="$dir/shots" weston_client "$@"
}

fail() {
	echo "FAIL: $*"
	echo "weston's log:"
	grep -v "^ " "$dir/weston.log" | tail -n 60
	exit 1
}

case $case_name in
scene)
	run_client "$client" scene || fail "seamless_client scene"
	run_client "$client" empty || fail "the exited client's window is still shown"
	! grep -q MVM_SEAMLESS_TEST_INPUT "$dir/weston.log" ||
		fail "test input without MVM_SEAMLESS_TEST_INPUT"
	;;
cap)
	run_client "$client" cap || fail "seamless_client cap"
	refusals=$(grep -c 'more than 256 guest windows' "$dir/weston.log")
	[ "$refusals" -eq 1 ] || fail "weston logged $refusals refusals, not 1"
	;;
access)
	cp "$client" "$dir/stranger" || exit 1
	run_client "$dir/stranger" stranger || fail "a program that is not vman sees the global"
	# The same check on the allowed program must fail: it sees the global.
	if run_client "$client" stranger; then
		fail "the allowed program does not see the global"
	fi
	;;
focus | overlap | move | close)
	run_client "$client" "$case_name" || fail "seamless_client $case_name"
	;;
esac
kill -0 "$weston_pid" 2>/dev/null || fail "weston is gone"
echo "PASS $case_name"
