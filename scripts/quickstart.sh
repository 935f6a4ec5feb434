#!/usr/bin/env bash
# One command from a fresh clone to a result: installs ffmpeg when missing (Debian/Ubuntu, as root or
# with sudo), the npm dependencies, builds, and runs `actionlens infer` on a video.
#   usage: scripts/quickstart.sh [video] [more actionlens infer flags...]
# With no video it uses ../shared/media/carving_ice.mp4 when that folder is there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ffmpeg
  else
    echo "ffmpeg is missing: install it (macOS: brew install ffmpeg; Windows: winget install ffmpeg) and re-run." >&2
    exit 1
  fi
fi

export ONNXRUNTIME_NODE_INSTALL=skip
[ -d node_modules ] || npm install --no-audit --no-fund
npm run build --silent

video="${1:-../shared/media/carving_ice.mp4}"
shift || true
extra=()
# ../shared/models is a local mirror of the official model files: used when present, else download.
[ -d ../shared/models ] && extra+=(--mirror ../shared/models)
exec node dist/cli/main.js infer "$video" "${extra[@]}" "$@"
