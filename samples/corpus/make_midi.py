#!/usr/bin/python3
"""Writes N deterministic MIDI pieces (melody + chords + bass, one GM programme each) for the corpus.

Usage: make_midi.py OUTDIR N. Piece i uses random.Random(1000 + i): fixed output for a given Python.
"""
import random
import sys

from midiutil import MIDIFile

PROGRAMS = [0, 4, 6, 11, 19, 24, 25, 33, 40, 42, 48, 56, 61, 65, 68, 71, 73, 80, 88, 104]
SCALES = {"major": [0, 2, 4, 5, 7, 9, 11], "minor": [0, 2, 3, 5, 7, 8, 10]}


def piece(path, i):
    rng = random.Random(1000 + i)
    tempo = rng.choice([72, 90, 100, 120, 140])
    root = rng.choice([55, 57, 60, 62, 64, 65])
    scale = SCALES[rng.choice(list(SCALES))]
    lead, pad = rng.choice(PROGRAMS), rng.choice(PROGRAMS)
    mid = MIDIFile(3)
    for track in range(3):
        mid.addTempo(track, 0, tempo)
    mid.addProgramChange(0, 0, 0, lead)
    mid.addProgramChange(1, 1, 0, pad)
    mid.addProgramChange(2, 2, 0, rng.choice([32, 33, 34, 38]))
    beats = 16
    t = 0.0
    degree = 0
    while t < beats:
        dur = rng.choice([0.5, 0.5, 1.0, 1.0, 1.5, 2.0])
        degree = max(-3, min(10, degree + rng.choice([-2, -1, -1, 0, 1, 1, 2, 3])))
        octave, step = divmod(degree, 7)
        mid.addNote(0, 0, root + 12 * octave + scale[step], t, dur, rng.randint(70, 110))
        t += dur
    for bar in range(beats // 4):
        chord_root = rng.choice([0, 3, 4, 5])
        for k in (0, 2, 4):
            octave, step = divmod(chord_root + k, 7)
            mid.addNote(1, 1, root - 12 + 12 * octave + scale[step], bar * 4, 4, 60)
        mid.addNote(2, 2, root - 24 + scale[chord_root], bar * 4, 2, 90)
        mid.addNote(2, 2, root - 24 + scale[chord_root], bar * 4 + 2, 2, 80)
    with open(path, "wb") as f:
        mid.writeFile(f)


if __name__ == "__main__":
    out, n = sys.argv[1], int(sys.argv[2])
    for i in range(n):
        piece(f"{out}/piece{i:02d}.mid", i)
