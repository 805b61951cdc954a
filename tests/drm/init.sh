#!/bin/busybox sh
# init.sh: /init of tests/drm's VM. Mounts the kernel's file systems, loads the DRM modules
# listed in /etc/modules.load (in dependency order), waits for /dev/dri/card0, then hands the
# first serial port to a shell that the host drives line by line (drm_vm.py's Vm.sh).
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /run /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
for module in $(cat /etc/modules.load); do
	insmod "/lib/modules/$module" || echo "@@insmod $module failed"
done
waited=0
while [ ! -e /dev/dri/card0 ] && [ $waited -lt 100 ]; do
	sleep 0.1
	waited=$((waited + 1))
done
stty -F /dev/ttyS0 -echo -onlcr
stty -F /dev/ttyS1 raw -echo
echo "@@ready $(cat /proc/uptime)"
# Each line in a shell of its own, its status after it; not an interactive shell: no prompt,
# no banner, no job control, and a command's syntax error does not end init.
exec sh -c 'while IFS= read -r line; do sh -c "$line"; echo "@@rc=$?"; done' \
	</dev/ttyS0 >/dev/ttyS0 2>&1
