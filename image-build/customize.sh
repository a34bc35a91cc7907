#!/bin/sh
# mmdebstrap customize hook: turns the freshly installed Debian at $1 into the jambox card's root.
# Runs on the build machine; commands inside the arm64 root go through chroot and qemu-user.
set -eu
root=$1
here=$(dirname "$0")
in_root() { chroot "$root" "$@"; }

# Our files: fstab, network, units, the boot-time scripts, the commented jambox.txt.
cp -R --preserve=mode "$here/rootfs/." "$root/"

# The box's default name until jambox.txt or the board's serial gives it one (jambox-XXXX).
echo jambox >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tjambox\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"

# Boot files through raspi-firmware's own hook, run again as dpkg would ("configure") now that our
# -custom and -extra-cmdline files are in place. Its defaults guess from the machine it runs on,
# which here is the build machine, so we say: root by label (the card may be mmcblk0 or sda); no
# cma= (raspi-firmware leaves it out on a Pi 4, where it can stop the boot); consoles on the GPIO
# serial pins and, last so that it gets the boot messages, HDMI.
sed -i -e 's|^#\?ROOTPART=.*|ROOTPART=LABEL=jambox-root-a|' -e 's|^#\?CMA=.*|CMA=0|' \
    -e 's|^#\?CONSOLES=.*|CONSOLES="ttyS1,115200 tty0"|' "$root/etc/default/raspi-firmware"
for kernel in "$root"/boot/vmlinuz-*; do
    in_root env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware "${kernel##*/vmlinuz-}"
done
grep -q 'root=LABEL=jambox-root-a' "$root/boot/firmware/cmdline.txt" || { echo "cmdline.txt was not made" >&2; exit 1; }

# Services: networkd (Ethernet, Wi-Fi), resolved, the card's own units. wpa_supplicant for wlan0
# starts when wlan0 appears (and jambox.txt named a network); its D-Bus instance is not needed.
in_root systemctl enable systemd-networkd systemd-resolved jambox-firstboot jambox-growdata jambox-status
mkdir -p "$root/etc/systemd/system/sys-subsystem-net-devices-wlan0.device.wants"
ln -sf /usr/lib/systemd/system/wpa_supplicant@.service \
    "$root/etc/systemd/system/sys-subsystem-net-devices-wlan0.device.wants/wpa_supplicant@wlan0.service"
in_root systemctl disable wpa_supplicant.service
# A room server on the box is for those who ask for it (see docs/flashing.md); its secret is made
# on the box, never baked into every card.
in_root systemctl disable jambox-room.service
rm -f "$root/etc/jambox-room/rooms.json"
# Nothing on a read-only root may try to write it: apt's timers, dpkg's backups, e2scrub (no LVM),
# and systemd-firstboot, which would wait for a keyboard.
in_root systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
    e2scrub_reap.service systemd-firstboot.service

# systemd's SSH-over-vsock generator is for virtual machines; on the box it only logs a failure.
mkdir -p "$root/etc/systemd/system-generators"
ln -sf /dev/null "$root/etc/systemd/system-generators/systemd-ssh-generator"

# SSH: off until jambox.txt gives a key; every box makes its own host keys on its first boot.
rm -f "$root"/etc/ssh/ssh_host_*
touch "$root/etc/ssh/sshd_not_to_be_run"

# resolv.conf from systemd-resolved (the root is read-only, so it cannot be written at boot).
ln -sf ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"

# The JVM's base class-data-sharing archive (Debian's JRE ships it; made here should one not): the
# box's own archives are made on top of it at first boot.
for jvm in "$root"/usr/lib/jvm/*/lib/server; do
    [ -e "$jvm/classes.jsa" ] || in_root "${jvm#"$root"}/../../bin/java" -Xshare:dump >/dev/null
done

# The data partition's first content: the box's folder, the journal's and systemd's state.
data="$root/var/lib/jambox"
mkdir -p "$data/.system/cache" "$data/.system/log" "$data/.system/systemd" "$data/cache"
cp -a "$root/var/log/." "$data/.system/log/"
cp -a "$root/var/lib/systemd/." "$data/.system/systemd/"
mkdir -p "$data/.system/log/journal"
# The JVMs' class-data archives of our classes (see docs/image.md), made here by running each
# command once under qemu-user: a box is switched off by pulling the power, so the archive the
# launcher would make at a clean exit might never be made. The box runs for a minute on simulated
# audio with its page on, then stops as systemd would stop it (SIGTERM) and writes its archive.
mkdir -p "$root/tmp/cds/boot" "$root/tmp/cds/root/etc"
cat >"$root/tmp/cds/jambox.json" <<'JSON'
{"version": 1, "audio": {"backend": "simulated"},
 "control": {"port": 47999, "bind": "127.0.0.1", "data": "/tmp/cds/data"}}
JSON
in_root env JAMBOX_CDS=/var/lib/jambox/cache/jambox.jsa timeout -s TERM 60 \
    /usr/bin/jambox run --config /tmp/cds/jambox.json >/dev/null 2>&1 || true
in_root env JAMBOX_CDS=/var/lib/jambox/cache/jack-probe.jsa /usr/bin/jambox jack-probe >/dev/null 2>&1 || true
in_root env JAMBOX_CDS=/var/lib/jambox/.system/cache/firstboot.jsa /usr/bin/jambox firstboot \
    --boot /tmp/cds/boot --root /tmp/cds/root --serial /dev/null >/dev/null 2>&1 || true
rm -rf "$root/tmp/cds"
for jsa in cache/jambox.jsa cache/jack-probe.jsa .system/cache/firstboot.jsa; do
    [ -s "$data/$jsa" ] || echo "customize: no class-data archive $jsa (the box starts slower)" >&2
done

in_root chown jambox:jambox /var/lib/jambox
in_root chown -R jambox:jambox /var/lib/jambox/cache
chmod 0750 "$data"

# The first boot is a first boot: no machine id yet (systemd makes one; jambox-firstboot keeps it).
: >"$root/etc/machine-id"
