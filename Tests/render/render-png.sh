#!/usr/bin/env bash
# Renders SVG charts and HTML pages to PNG with headless Chromium (Debian's `chromium`
# package), to look at them as a reader would: labels readable, nothing overlapping or cut off.
#
#   Tests/render/render-png.sh OUT_DIR FILE.svg|FILE.html ...
#
# An SVG is shot at its own width and height; an HTML page at 900 px wide and HEIGHT px tall
# (default 9000; set HEIGHT for longer pages). Not part of `make test`: a reviewing aid.
set -euo pipefail
out=${1:?usage: render-png.sh OUT_DIR FILE...}; shift
mkdir -p "$out"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "render-png.sh: install Chromium first (apt-get install chromium)" >&2; exit 1; fi
for f in "$@"; do
  name=$(basename "$f"); name=${name%.*}
  case "$f" in
    *.svg)
      w=$(grep -m1 -o 'width="[0-9.]*"' "$f" | head -1 | tr -dc '0-9.'); h=$(grep -m1 -o 'height="[0-9.]*"' "$f" | head -1 | tr -dc '0-9.')
      size="${w%.*},${h%.*}" ;;
    *) size="900,${HEIGHT:-9000}" ;;
  esac
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$size" --screenshot="$out/$name.png" "file://$(realpath "$f")" >/dev/null 2>&1
  echo "$out/$name.png ($size)"
done
