#!/usr/bin/env bash
# Gather >= 20 real photographs for the image-shield benchmark, offline-friendly:
# they come from Debian wallpaper packages (community photo contests), fetched with
# apt-get (a Debian package registry, no other network). Output: bench/imageshield/photos/.
# Needs root or a writable apt cache for `apt-get download`; runs `apt-get update` if the
# package lists are missing. Idempotent: existing photos are kept.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEST="$HERE/photos"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$DEST"

PACKAGES=(lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 mate-backgrounds)

# Real photographs only (the packages also hold illustrations and gradients).
PHOTOS=(
  backgrounds/Bridge_by_Sander_Klootwijk.jpg
  backgrounds/Dragonfly_by_Bolly.jpg
  backgrounds/Picture_0B_by_freespace.jpg
  backgrounds/Picture_1A_by_freespace.jpg
  backgrounds/Wine_by_Jakkub_Mede.jpg
  backgrounds/aitzgorri_by_Aitzol_Berasategi.jpg
  backgrounds/free_by_Peter_Nerlich.jpg
  backgrounds/friends_by_Aitzol_Berasategi.jpg
  backgrounds/greentock_by_Peter_Nerlich.jpg
  backgrounds/life_by_Aitzol_Berasategi.jpg
  backgrounds/picosdeeuropa_by_Aitzol_Berasategi.jpg
  backgrounds/seeding_by_Clements_Engelhardt.jpg
  backgrounds/sunset_by_Aitzol_Berasategi.jpg
  backgrounds/Kleiber_by_Lukas_Baubkus.jpg
  backgrounds/mate/nature/Aqua.jpg
  backgrounds/mate/nature/Blinds.jpg
  backgrounds/mate/nature/Dune.jpg
  backgrounds/mate/nature/Garden.jpg
  backgrounds/mate/nature/GreenMeadow.jpg
  backgrounds/mate/nature/LadyBird.jpg
  backgrounds/mate/nature/RainDrops.jpg
  backgrounds/mate/nature/Storm.jpg
  backgrounds/mate/nature/TwoWings.jpg
  backgrounds/mate/nature/Wood.jpg
  backgrounds/mate/nature/YellowFlower.jpg
)

cd "$WORK"
if ! apt-get download "${PACKAGES[@]}" >/dev/null 2>&1; then
  apt-get update >/dev/null
  apt-get download "${PACKAGES[@]}" >/dev/null
fi
for deb in ./*.deb; do
  dpkg-deb -x "$deb" "$WORK/root"
done

count=0
for rel in "${PHOTOS[@]}"; do
  src="$WORK/root/usr/share/$rel"
  if [[ -f "$src" ]]; then
    cp -n "$src" "$DEST/$(basename "$rel")"
    count=$((count + 1))
  else
    echo "missing in packages: $rel" >&2
  fi
done
echo "$count photos in $DEST"
