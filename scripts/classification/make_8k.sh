#!/usr/bin/env bash
# Writes an 8 kHz copy of every clip of a corpus made by make_corpus.sh, and the manifest nb8.csv (same labels and
# sources), for scoring models on narrow-band recordings of held-out sources (NarrowbandEval.cs beside this script). Needs sox.
set -euo pipefail
CORPUS=${1:?usage: make_8k.sh CORPUS_DIR}
mkdir -p "$CORPUS/audio8k"
echo "file,label,source" > "$CORPUS/nb8.csv"
tail -n +2 "$CORPUS/manifest.csv" | while IFS=, read -r f label src; do
  out="audio8k/$(basename "$f")"
  sox -V1 "$CORPUS/$f" -r 8000 "$CORPUS/$out"
  echo "$out,$label,$src" >> "$CORPUS/nb8.csv"
done
