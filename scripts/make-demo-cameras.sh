#!/usr/bin/env bash
# Makes the DEMO camera footage under resources/demo-cameras/ (synthetic: ffmpeg test patterns,
# no real camera). A dev tool: the app and the tests only read the committed output, never ffmpeg.
#
# For every camera of the demo province (sim/province/inventory.ts, demoCameras()):
#   a 6 s loop at 25 fps — a moving test pattern with its own hue, the camera's Vietnamese name,
#   "MÔ PHỎNG · DEMO" and a running timecode burned in — encoded with libx264 (no audio, keyframe
#   every second, no scene-cut keyframes) in two renditions and cut into 1 s MPEG-TS segments:
#     <id>/main/seg-000.ts … seg-005.ts   1280×720, H.264 Main 3.1,     ~700 kbit/s
#     <id>/sub/seg-000.ts  … seg-005.ts    640×360, H.264 Baseline 3.0, ~150 kbit/s
#     <id>/snapshot.jpg                    640×360
#   plus manifest.json (renditions, codecs, cameras), which sim/cameras/camera-server.ts reads.
#
# Usage: scripts/make-demo-cameras.sh [output dir (default resources/demo-cameras)]
#        ONLY="cam-03 cam-04" scripts/make-demo-cameras.sh   re-encodes only those (manifest: all)
# Needs ffmpeg with libx264 and libfreetype, and a TTF with Vietnamese glyphs (FONT=…, default
# Debian's fonts-noto-core Noto Sans Bold). Re-running overwrites the output; the encode is
# deterministic for a given ffmpeg/x264 build (-threads 1, no timestamps in the output).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/resources/demo-cameras}"
FFMPEG="${FFMPEG:-ffmpeg}"
FONT="${FONT:-/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf}"
MONO="${MONO_FONT:-/usr/share/fonts/truetype/noto/NotoSansMono-Bold.ttf}"
[ -f "$MONO" ] || MONO="$FONT"

SECONDS_LONG=6
FPS=25
MAIN_W=1280 MAIN_H=720 MAIN_KBPS=700
SUB_W=640 SUB_H=360 SUB_KBPS=150

command -v "$FFMPEG" >/dev/null || { echo "ffmpeg not found" >&2; exit 1; }
[ -f "$FONT" ] || { echo "font $FONT not found (apt install fonts-noto-core, or FONT=/path/to/font.ttf)" >&2; exit 1; }

# id<TAB>name, straight from the province's camera list.
mapfile -t CAMERAS < <(sed -nE "s/^ *\['gw-[a-z-]+', '(cam-[0-9]+)', '([^']+)'.*/\1\t\2/p" "$ROOT/sim/province/inventory.ts")
[ "${#CAMERAS[@]}" -gt 0 ] || { echo "no cameras found in sim/province/inventory.ts" >&2; exit 1; }

# Test patterns, one per camera (cycled): a lavfi source at the main size; the pattern then
# scrolls and its hue is rotated per camera, so every tile on the wall looks different.
PATTERNS=(
  "testsrc2=s=${MAIN_W}x${MAIN_H}:r=${FPS}"
  "smptehdbars=s=${MAIN_W}x${MAIN_H}:r=${FPS}"
  "mandelbrot=s=320x180:r=${FPS}:start_scale=2:end_scale=0.3:end_pts=150:outer=normalized_iteration_count,gblur=sigma=2,scale=${MAIN_W}:${MAIN_H}"
  "life=s=32x18:r=5:ratio=0.35:death_color=#203040:life_color=#40d080,scale=${MAIN_W}:${MAIN_H}:flags=neighbor,fps=${FPS}"
  "gradients=s=${MAIN_W}x${MAIN_H}:r=${FPS}:speed=0.03:n=4:seed=7"
  "pal100bars=s=${MAIN_W}x${MAIN_H}:r=${FPS}"
  "testsrc=s=${MAIN_W}x${MAIN_H}:r=${FPS}"
  "rgbtestsrc=s=${MAIN_W}x${MAIN_H}:r=${FPS}"
)

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

mkdir -p "$OUT"
MANIFEST_CAMERAS=""
i=0
for line in "${CAMERAS[@]}"; do
  id="${line%%$'\t'*}"
  name="${line#*$'\t'}"
  pattern="${PATTERNS[$((i % ${#PATTERNS[@]}))]}"
  hue=$(( (i * 47) % 360 ))
  # Every pattern scrolls sideways by one full width per 6 s loop (150 frames): static ones move too.
  scroll="scroll=h=$(awk "BEGIN { printf \"%.6f\", 1 / ($SECONDS_LONG * $FPS) }")"
  printf '%s' "$name" >"$TMP/$id.name.txt"
  printf '%s' "$id · MÔ PHỎNG · DEMO" >"$TMP/$id.label.txt"

  dir="$OUT/$id"
  if [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $id "* ]]; then
    rm -rf "$dir"
    mkdir -p "$dir/main" "$dir/sub"

    filter="[0:v]${scroll},hue=h=${hue}:s=0.9,format=yuv420p,
drawbox=x=0:y=0:w=iw:h=96:color=black@0.55:t=fill,
drawtext=fontfile=${FONT}:textfile=$TMP/$id.name.txt:fontsize=44:fontcolor=white:x=28:y=22,
drawtext=fontfile=${FONT}:textfile=$TMP/$id.label.txt:fontsize=26:fontcolor=#ffd24a:x=28:y=h-50:box=1:boxcolor=black@0.55:boxborderw=8,
drawtext=fontfile=${MONO}:timecode='00\:00\:00\:00':rate=${FPS}:fontsize=40:fontcolor=white:x=w-tw-28:y=h-th-24:box=1:boxcolor=black@0.6:boxborderw=10,
split=2[main][s];[s]scale=${SUB_W}:${SUB_H}:flags=bicubic[sub]"

    x264_common=(-c:v libx264 -preset slow -threads 1 -pix_fmt yuv420p -r "$FPS"
      -g "$FPS" -keyint_min "$FPS" -sc_threshold 0 -force_key_frames "expr:gte(t,n_forced*1)"
      -bf 0 -flags +cgop -an)
    hls=(-f hls -hls_time 1 -hls_list_size 0 -hls_flags independent_segments -hls_segment_type mpegts)

    "$FFMPEG" -hide_banner -loglevel error -y -t "$SECONDS_LONG" -f lavfi -i "$pattern" \
      -filter_complex "$filter" \
      -map '[main]' "${x264_common[@]}" -profile:v main -level:v 3.1 \
        -b:v "${MAIN_KBPS}k" -maxrate "$((MAIN_KBPS * 11 / 10))k" -bufsize "${MAIN_KBPS}k" \
        "${hls[@]}" -hls_segment_filename "$dir/main/seg-%03d.ts" "$TMP/main.m3u8" \
      -map '[sub]' "${x264_common[@]}" -profile:v baseline -level:v 3.0 \
        -b:v "${SUB_KBPS}k" -maxrate "$((SUB_KBPS * 11 / 10))k" -bufsize "${SUB_KBPS}k" \
        "${hls[@]}" -hls_segment_filename "$dir/sub/seg-%03d.ts" "$TMP/sub.m3u8"

    # Snapshot: the sub rendition's frame at 2.5 s (frame 12 of the third segment).
    "$FFMPEG" -hide_banner -loglevel error -y -i "$dir/sub/seg-002.ts" -vf "select=eq(n\\,12)" -frames:v 1 -q:v 4 "$dir/snapshot.jpg"

  fi

  [ -s "$dir/snapshot.jpg" ] || { echo "$id: no snapshot" >&2; exit 1; }
  main_count=$(ls "$dir/main" | wc -l)
  sub_count=$(ls "$dir/sub" | wc -l)
  [ "$main_count" -eq "$sub_count" ] || { echo "$id: $main_count main vs $sub_count sub segments" >&2; exit 1; }
  name_json=$(printf '%s' "$name" | sed 's/\\/\\\\/g; s/"/\\"/g')
  MANIFEST_CAMERAS+="${MANIFEST_CAMERAS:+,}
    \"$id\": { \"name\": \"$name_json\", \"segments\": $main_count }"
  echo "$id  $name  ($main_count segments, $(du -sh "$dir" | cut -f1))"
  i=$((i + 1))
done

cat >"$OUT/manifest.json" <<EOF
{
  "demo": true,
  "note": "DEMO footage: synthetic ffmpeg test patterns made by scripts/make-demo-cameras.sh, not a real camera.",
  "segmentSeconds": 1,
  "fps": $FPS,
  "renditions": {
    "main": { "width": $MAIN_W, "height": $MAIN_H, "codecs": "avc1.4d401f", "kbps": $MAIN_KBPS },
    "sub": { "width": $SUB_W, "height": $SUB_H, "codecs": "avc1.42c01e", "kbps": $SUB_KBPS }
  },
  "cameras": {$MANIFEST_CAMERAS
  }
}
EOF
echo "total: $(du -sh "$OUT" | cut -f1)"
