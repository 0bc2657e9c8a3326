#!/bin/sh
# The system tools the test suite uses on real files, installed when missing (Debian/Ubuntu):
# rsync (the faithfulness check), acl and attr (set ACLs and extended attributes),
# fuse + libfuse2 (the tests' own FUSE file systems), util-linux (unshare, setpriv),
# b3sum and xxhash (xxhsum: the checkers Ferry's manifests must satisfy), git (the oracle for
# gitignore patterns), losetup, exfatprogs + exfat-fuse, btrfs-progs and e2fsprogs (real
# disk images: a FUSE stick, data kept inline, for the read-back tests); and the libraries
# Qt's xcb and wayland platforms link to that a bare machine lacks, so that the frozen app
# built here bundles them (PyInstaller leaves out, with only a warning, what it cannot find).
set -eu
missing=""
for tool in rsync setfacl setfattr fusermount unshare setpriv b3sum xxhsum git losetup \
    mkfs.exfat mount.exfat-fuse mkfs.btrfs mkfs.ext4; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
for library in libfuse.so.2 libxcb-icccm.so.4 libxcb-keysyms.so.1 libwayland-cursor.so.0; do
    ldconfig -p 2>/dev/null | grep -qF "$library " || missing="$missing $library"
done
[ -z "$missing" ] && exit 0
packages="rsync acl attr fuse libfuse2 util-linux mount b3sum xxhash git"
packages="$packages exfatprogs exfat-fuse btrfs-progs e2fsprogs"
packages="$packages libxcb-icccm4 libxcb-keysyms1 libwayland-cursor0"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing what the tests need:$missing"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
    exit 0
fi
echo "The tests need:$missing. Install them (as root): apt-get install $packages" >&2
exit 1
