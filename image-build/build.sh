#!/bin/bash
# The jambox SD card image for a Raspberry Pi 4, built on an x86-64 Debian machine from Debian's
# archive only (plus our two packages):
#   mmdebstrap (unshare mode, arm64 through qemu-user-static) of Debian trixie with packages.txt
#   -> customize.sh (our files, boot parameters, services) -> genimage (genimage.cfg) -> xz.
# Usage: image-build/build.sh DEB_DIR VERSION   (./jambox image calls it; SOURCE_DATE_EPOCH is set)
# Output in image-build/out/: jambox-VERSION-rpi4-arm64.img.xz, its .sha256, manifest.txt.
# Downloaded .debs are kept in image-build/cache/ between runs on one machine (never in git).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DEBS=$(cd "$1" && pwd)
VERSION=$2
# The build is stamped with the last commit's time, as the packages are.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$HERE" log -1 --format=%ct)}
export SOURCE_DATE_EPOCH
SUITE=trixie
MIRROR=${JAMBOX_MIRROR:-http://deb.debian.org/debian}
OUT=$HERE/out
WORK=$HERE/target/work
CACHE=$HERE/cache
NAME=jambox-$VERSION-rpi4-arm64

say() { printf 'image: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "the image build needs root (genimage keeps the files' owners, binfmt for arm64)"
debs=$(find "$DEBS" -maxdepth 1 \( -name 'jambox_*_all.deb' -o -name 'jambox-room_*_all.deb' \) | sort)
[ "$(echo "$debs" | grep -c .)" -eq 2 ] || die "want jambox and jambox-room .debs in $DEBS (./jambox package)"

# arm64 programs (the packages' scripts) run through qemu-user: binfmt_misc must know them.
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    update-binfmts --enable qemu-aarch64
fi
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || die "binfmt_misc has no qemu-aarch64 (apt-get install qemu-user-static binfmt-support)"

rm -rf "$WORK"
mkdir -p "$WORK" "$OUT" "$CACHE"
# In unshare mode apt inside the namespace must be able to read our .debs.
mkdir -p "$WORK/debs"
cp $debs "$WORK/debs/"
chmod 755 "$WORK" "$WORK/debs"
chmod 644 "$WORK"/debs/*.deb
includes=$(grep -v '^\s*\(#\|$\)' "$HERE/packages.txt" | paste -sd, -)

# A path is passed whole to --include (never split at commas): one option per package file.
deb_includes=()
for deb in "$WORK"/debs/*.deb; do deb_includes+=("--include=$deb"); done

started=$(date +%s)
say "mmdebstrap: Debian $SUITE arm64 and $(grep -c -v '^\s*\(#\|$\)' "$HERE/packages.txt") packages (about 15 minutes)"
mmdebstrap --mode=unshare --arch=arm64 --variant=apt --components=main,non-free-firmware \
    --include="$includes" \
    "${deb_includes[@]}" \
    --hook-dir=/usr/share/mmdebstrap/hooks/eatmydata \
    --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
    --setup-hook="sync-in '$CACHE' /var/cache/apt/archives" \
    --customize-hook="sync-out /var/cache/apt/archives '$CACHE'" \
    --customize-hook="'$HERE/customize.sh' \"\$1\"" \
    "$SUITE" "$WORK/rootfs.tar" "$MIRROR"
say "mmdebstrap took $(( $(date +%s) - started )) s"

# genimage wants a folder: the root with its owners, modes and capabilities as packed.
mkdir "$WORK/rootfs"
tar -C "$WORK/rootfs" --numeric-owner --xattrs --xattrs-include='*' -xpf "$WORK/rootfs.tar"
rm "$WORK/rootfs.tar"
dpkg-query --admindir="$WORK/rootfs/var/lib/dpkg" -W -f '${Package}\t${Version}\t${Architecture}\n' \
    | sort >"$WORK/manifest.txt"

say "genimage: boot, root A, root B (reserved), data"
genimage --config "$HERE/genimage.cfg" --rootpath "$WORK/rootfs" --tmppath "$WORK/genimage-tmp" \
    --inputpath "$WORK/images" --outputpath "$WORK/images" >"$WORK/genimage.log" 2>&1 \
    || { cat "$WORK/genimage.log" >&2; die "genimage failed"; }

say "xz: $NAME.img.xz"
rm -f "$OUT"/jambox-*-rpi4-arm64.img.xz "$OUT"/jambox-*-rpi4-arm64.img.xz.sha256
xz -T0 -3 -c "$WORK/images/jambox.img" >"$OUT/$NAME.img.xz"
(cd "$OUT" && sha256sum "$NAME.img.xz" >"$NAME.img.xz.sha256")
{
    echo "# $NAME: every Debian package inside, as installed (package, version, architecture)"
    echo "# built from Debian $SUITE ($MIRROR), SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH"
    cat "$WORK/manifest.txt"
} >"$OUT/manifest.txt"
say "done in $(( $(date +%s) - started )) s: $OUT/$NAME.img.xz ($(du -h "$OUT/$NAME.img.xz" | cut -f1))"
