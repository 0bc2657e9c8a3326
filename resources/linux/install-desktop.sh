#!/bin/sh
# Install Ferry into the current user's Linux desktop: menu entry, icons, the KDE service
# menu and the Nautilus script on folders. Run from anywhere:
#     sh resources/linux/install-desktop.sh [PATH_TO_FERRY_EXECUTABLE]
# The executable (default: dist/ferry) is copied to ~/.local/bin/ferry, which must be on
# PATH. Undo with the same script and --uninstall.
set -eu
here=$(cd -- "$(dirname -- "$0")" && pwd -P)
resources=$(dirname -- "$here")
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin
icons="$data/icons/hicolor"
sizes="16 24 32 48 64 128 256 512"

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$bin/ferry" "$data/applications/ferry.desktop" \
        "$data/applications/ferry-open-folder.desktop" \
        "$data/kio/servicemenus/ferry-servicemenu.desktop" \
        "$data/nautilus/scripts/Copy with Ferry" "$icons/scalable/apps/ferry.svg"
    for size in $sizes; do rm -f "$icons/${size}x${size}/apps/ferry.png"; done
else
    executable=${1:-$(dirname -- "$resources")/dist/ferry}
    install -D -m 755 "$executable" "$bin/ferry"
    install -D -m 644 "$resources/ferry.desktop" "$data/applications/ferry.desktop"
    # An "Open With" entry for folders (MimeType=inode/directory) is not installed: a
    # folder handler can become the default, and then opening any folder starts Ferry.
    rm -f "$data/applications/ferry-open-folder.desktop"  # left by older versions
    install -D -m 755 "$here/ferry-servicemenu.desktop" \
        "$data/kio/servicemenus/ferry-servicemenu.desktop"
    install -D -m 755 "$here/Copy with Ferry" "$data/nautilus/scripts/Copy with Ferry"
    install -D -m 644 "$resources/icons/ferry.svg" "$icons/scalable/apps/ferry.svg"
    for size in $sizes; do
        install -D -m 644 "$resources/icons/ferry-$size.png" \
            "$icons/${size}x${size}/apps/ferry.png"
    done
fi
# Refresh the caches where the tools exist; menus pick the entry up without them too.
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons" || true
