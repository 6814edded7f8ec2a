#!/bin/sh
# Builds the small committed test set (testset/) from a corpus made by make_corpus.sh:
# all 10 held-out voices (8 espeak-ng, 2 flite), enrolment sentences 41-43, test sentences 61-62
# (different text from enrolment), leading/trailing silence trimmed, 8 kHz 8-bit mu-law WAV
# to keep the repository small (about 1 MB). Deterministic (no dither).
#   sh make_testset.sh CORPUSDIR
set -eu
CORPUS=${1:?usage: make_testset.sh CORPUSDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf "$HERE/testset"
for dir in "$CORPUS"/eval/*/; do
    spk=$(basename "$dir")
    mkdir -p "$HERE/testset/$spk"
    for i in 41 42 43 61 62; do
        kind=test; [ "$i" -le 50 ] && kind=enrol
        sox -D "$dir/s$i.wav" -r 8000 -e u-law -b 8 "$HERE/testset/$spk/${kind}_s$i.wav" \
            silence 1 0.02 -45d reverse silence 1 0.02 -45d reverse
    done
done
# the list of voices the tests load (stale folders in a build output are then ignored)
(cd "$HERE/testset" && ls -d */ | tr -d / > speakers.txt)
du -sh "$HERE/testset"
