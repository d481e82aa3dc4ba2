#!/usr/bin/env bash
# Writes pipeline/src/test/resources/media/laced-vorbis.webm: a WebM as video sites serve it, which FFmpeg's own
# muxer cannot write: libvorbis audio (short and long blocks) laced several packets to a Matroska block by mkvmerge.
# 12 s, VP8 64x48 at 30 fps with a keyframe every 2 s, stereo 44.1 kHz: a chirp, 0.3 sin(2 pi (300 t + 25 t^2)),
# plus a 10 ms 3 kHz burst every 0.37 s (transients make libvorbis switch to short blocks). ClipDecoderTest computes
# the same signal to check where decoded samples land. Needs Debian's ffmpeg, vorbis-tools and mkvtoolnix.
set -euo pipefail
out="$(cd "$(dirname "$0")/../.." && pwd)/pipeline/src/test/resources/media/laced-vorbis.webm"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
signal='0.3*sin(2*PI*(300*t+25*t*t))+0.6*sin(2*PI*3000*t)*lt(mod(t,0.37),0.01)'
ffmpeg -v error -f lavfi -i "aevalsrc='$signal|$signal':s=44100:d=12" -c:a pcm_s16le "$work/audio.wav"
oggenc -Q -q 0 -o "$work/audio.ogg" "$work/audio.wav"
ffmpeg -v error -f lavfi -i testsrc=size=64x48:rate=30:duration=12 -c:v libvpx -b:v 40k -g 60 -an "$work/video.webm"
mkdir -p "$(dirname "$out")"
mkvmerge -q --webm -o "$out" "$work/video.webm" "$work/audio.ogg"
ls -l "$out"
