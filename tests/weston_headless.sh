# weston_headless.sh: sourced by the tests that run against a private headless Weston
# (tests/vman/wayland_weston.sh, tests/seamless/seamless_weston.sh). It gives each run its
# own XDG_RUNTIME_DIR and socket in a temporary directory ($weston_dir, with shots/ for
# weston-screenshooter), a plain background and no panel or animations (weston.ini),
# --debug so that weston-screenshooter may take the output, and its log in
# $weston_dir/weston.log. Weston and the directory go at the end, whatever happened.

# Skips (exit 77) when weston or weston-screenshooter is not installed.
weston_require() {
	for tool in weston weston-screenshooter; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "SKIP $tool: not installed"
			exit 77
		fi
	done
}

# weston_ini: the weston.ini every private Weston starts from (tests/desktop's Python
# driver reads it from here too, and adds its own sections).
weston_ini() {
	cat <<'INI'
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
}

# weston_module_env MODULE: the environment words ($weston_env) a module needs in weston:
# built with AddressSanitizer, its runtime must load before anything else in weston,
# which is not built with it; weston's own leaks at exit are not ours to report.
weston_module_env() {
	preload=
	for runtime in libasan libubsan; do
		path=$(ldd "$1" | sed -n "s/^.*$runtime\.so[^ ]* => \([^ ]*\) .*$/\1/p")
		[ -n "$path" ] && preload="${preload:+$preload:}$path"
	done
	echo "LD_PRELOAD=$preload ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
}

weston_pid=
weston_cleanup() {
	if [ -n "$weston_pid" ]; then
		kill "$weston_pid" 2>/dev/null
		wait "$weston_pid" 2>/dev/null
	fi
	rm -rf "$weston_dir"
}

# weston_start RENDERER [WESTON ARGUMENT...]: RENDERER is pixman or gl (Mesa's llvmpipe
# without a GPU; the headless backend's default renders nothing, and screenshots never
# come). The words of $weston_env (NAME=value) go into weston's environment only. Returns
# 0 once the socket is there; 1 after printing why weston did not start (up to 10 s).
weston_start() {
	renderer=--use-$1
	shift
	weston_dir=$(mktemp -d "${TMPDIR:-/tmp}/mvm-weston.XXXXXX") || exit 1
	trap weston_cleanup EXIT
	trap 'exit 1' HUP INT PIPE TERM
	mkdir -m 0700 "$weston_dir/runtime" "$weston_dir/shots" || exit 1
	weston_ini > "$weston_dir/weston.ini"
	weston_socket=mvm-test-$$
	# $weston_env is split into words on purpose.
	# shellcheck disable=SC2086
	env XDG_RUNTIME_DIR="$weston_dir/runtime" ${weston_env:-} \
		weston --backend=headless-backend.so "$renderer" "$@" \
		--socket="$weston_socket" --idle-time=0 --width=1024 --height=768 --debug \
		--config="$weston_dir/weston.ini" --log="$weston_dir/weston.log" \
		>"$weston_dir/weston.out" 2>&1 &
	weston_pid=$!
	tries=0
	while [ ! -S "$weston_dir/runtime/$weston_socket" ]; do
		if ! kill -0 "$weston_pid" 2>/dev/null || [ "$tries" -ge 100 ]; then
			echo "weston did not start:"
			cat "$weston_dir/weston.out"
			grep -v '\[proto\]' "$weston_dir/weston.log" 2>/dev/null | tail -n 30
			return 1
		fi
		sleep 0.1
		tries=$((tries + 1))
	done
	return 0
}

# weston_client COMMAND...: runs a client of that Weston.
weston_client() {
	XDG_RUNTIME_DIR="$weston_dir/runtime" WAYLAND_DISPLAY="$weston_socket" "$@"
}
