#!/usr/bin/env bash
# Regenerates the voice reference corpus and Praat's values for it. Needs (Debian): praat espeak-ng flite festival sox python3.
#   apt-get install -y praat espeak-ng flite festival festvox-kallpc16k sox
# Output (all committed; tests never need these tools):
#   *.wav                      clips (<= 3 s): synthetic vowels (make_signals.py) and TTS speech (espeak-ng, flite, festival)
#   synthetic_truth.csv        jitter/shimmer/F0 of the synthetic clips by construction
#   praat_voice_reference.csv  one row per clip: Praat's pitch statistics, pulses, jitter, shimmer, HNR
#   pitch/NAME.csv             Praat's F0 contour (0 = unvoiced), pulses/NAME.csv Praat's glottal pulse times
# Recorded with Praat 6.3.07 (Debian bookworm), espeak-ng 1.51, flite 2.2, festival 2.5 (kal_diphone), SoX 14.4.2.
set -euo pipefail
cd "$(dirname "$0")"
python3 make_signals.py .

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# name | espeak voice | pitch (0-99) | speed wpm | rate Hz | text
speak() {
  espeak-ng -v "$2" -p "$3" -s "$4" -w "$tmp/$1.raw.wav" "$6"
  # -D: no dither, so the conversion is deterministic; trim to <= 2.5 s
  sox -D "$tmp/$1.raw.wav" -r "$5" -b 16 -c 1 "$1.wav" trim 0 2.5
}
speak espeak_en_m_16k        en        40 160 16000 "The quick brown fox jumps over the lazy dog."
speak espeak_en_f_44k        en+f3     70 150 44100 "Where were you a year ago, in the early morning?"
speak espeak_de_m_16k        de        30 140 16000 "Guten Morgen, wie geht es Ihnen heute?"
speak espeak_fr_f_16k        fr+f2     60 150 16000 "Bonjour, je voudrais un cafe au lait."
speak espeak_vowel_a_16k     en        50  60 16000 "aaaaah"
speak espeak_en_m_tel_8k     en+m3     35 170  8000 "Please call me back on my mobile number."
# A second TTS engine (Debian flite 2.2, voice slt), converted the same way.
flite -voice slt -t "Where were you a year ago, in the early morning?" -o "$tmp/flite_slt_f_16k.raw.wav"
sox -D "$tmp/flite_slt_f_16k.raw.wav" -r 16000 -b 16 -c 1 flite_slt_f_16k.wav trim 0 2.5
# Two low male voices (F0 down to 83-89 Hz, close to the 75 Hz floor): flite rms and festival's default voice kal_diphone
# (Debian festival 2.5 + festvox-kallpc16k).
flite -voice rms -t "The quick brown fox jumps over the lazy dog." -o "$tmp/flite_rms_m_16k.raw.wav"
sox -D "$tmp/flite_rms_m_16k.raw.wav" -r 16000 -b 16 -c 1 flite_rms_m_16k.wav trim 0 2.5
echo "Please call me back on my mobile number." | text2wave -o "$tmp/festival_kal_m_16k.raw.wav"
sox -D "$tmp/festival_kal_m_16k.raw.wav" -r 16000 -b 16 -c 1 festival_kal_m_16k.wav trim 0 2.5

rm -rf pitch pulses praat_voice_reference.csv
mkdir -p pitch pulses
for f in *.wav; do
  praat --run voice_reference.praat "$f" .
done
