#!/usr/bin/env python3
"""Writes the WAV files stored in OpenTTD's opensfx.cat (Debian package openttd-opensfx) to a folder.

The .cat file starts with (offset, size) uint32 pairs, one per sound (the first offset / 8 is the count);
at each offset a length-prefixed name precedes a complete RIFF/WAVE file. Usage: extract_opensfx.py CAT OUTDIR
writes OUTDIR/NN.wav (NN = index in the catalogue, as listed in PROVENANCE.md).
"""
import os
import struct
import sys

cat, out = sys.argv[1], sys.argv[2]
data = open(cat, "rb").read()
count = (struct.unpack_from("<I", data, 0)[0] & 0x7FFFFFFF) // 8
os.makedirs(out, exist_ok=True)
for i in range(count):
    offset, size = struct.unpack_from("<II", data, 8 * i)
    offset &= 0x7FFFFFFF
    name_len = data[offset]
    wav = data[offset + 1 + name_len: offset + size]
    if wav[:4] != b"RIFF":
        print(f"entry {i}: no RIFF header (the catalogue's empty placeholders), skipped", file=sys.stderr)
        continue
    with open(os.path.join(out, f"{i:02d}.wav"), "wb") as f:
        f.write(wav)
