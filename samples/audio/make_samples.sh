#!/usr/bin/env bash
# Regenerates the bundled sample recordings. Needs sox and espeak-ng (Debian: apt-get install sox espeak-ng).
# sox -R makes its noise generators repeatable; espeak-ng output is fixed for a given version.
set -euo pipefail
cd "$(dirname "$0")"
SOX="sox -R --no-show-progress"

# 1. street.wav — 8 s, 48 kHz mono 16-bit: brown-noise traffic rumble, a car passing (band-limited
#    pink noise swelling and fading), a two-tone horn at 5 s.
$SOX -n -r 48000 -b 16 -c 1 /tmp/ac_rumble.wav synth 8 brownnoise vol 0.25 lowpass 400
$SOX -n -r 48000 -b 16 -c 1 /tmp/ac_car.wav synth 8 pinknoise vol 0.5 bandpass 900 1.5q fade q 3 8 4
$SOX -n -r 48000 -b 16 -c 1 /tmp/ac_horn.wav synth 0.6 square 440 square 554 remix - vol 0.08 fade 0.02 0.6 0.05 pad 5 2.4
$SOX -m -v 1 /tmp/ac_rumble.wav -v 1 /tmp/ac_car.wav -v 1 /tmp/ac_horn.wav street.wav
# 2. speech.wav — espeak-ng English sentence, resampled to 16 kHz mono 16-bit.
espeak-ng -v en-us -s 150 -w /tmp/ac_speech.wav "The quick brown fox jumps over the lazy dog. Acoustic monitoring measures what we hear."
$SOX /tmp/ac_speech.wav -r 16000 -b 16 -c 1 speech.wav
# 3. alarm.wav — 5 s, 44.1 kHz mono 16-bit: a siren sweeping 600–1200 Hz twice a second over light noise.
$SOX -n -r 44100 -b 16 -c 1 /tmp/ac_siren.wav synth 5 sine 600-1200 synth 5 sine fmod 2 vol 0.4
$SOX -n -r 44100 -b 16 -c 1 /tmp/ac_bg.wav synth 5 whitenoise vol 0.01
$SOX -m -v 1 /tmp/ac_siren.wav -v 1 /tmp/ac_bg.wav alarm.wav
# 4. array4.wav — 3 s, 48 kHz, 4 channels 16-bit: a plane wave of pink noise reaching a linear array of
#    4 microphones 5 cm apart along +x (geometry: array4.geometry.json), delayed 0/3/6/9 samples from
#    mic 0 to mic 3: τ = 3/48000 s per 5 cm; mic 0 hears it first, so the source lies toward −x and its
#    angle from the +x axis is θ = arccos(−343·τ/0.05) = arccos(−0.42875) ≈ 115.4°. Independent sensor
#    noise ~20 dB below the source.
$SOX -n -r 48000 -b 16 -c 1 /tmp/ac_src.wav synth 3.1 pinknoise vol 0.3
for i in 0 1 2 3; do
  $SOX /tmp/ac_src.wav /tmp/ac_d$i.wav delay $((i * 3))s trim 0 3
  $SOX -n -r 48000 -b 16 -c 1 /tmp/ac_n$i.wav synth 3 whitenoise vol 0.01
  $SOX -m -v 1 /tmp/ac_d$i.wav -v 1 /tmp/ac_n$i.wav /tmp/ac_m$i.wav
done
$SOX -M /tmp/ac_m0.wav /tmp/ac_m1.wav /tmp/ac_m2.wav /tmp/ac_m3.wav array4.wav
# 5. calibrator.wav — 3 s, 48 kHz mono 24-bit: a 1 kHz calibrator tone recorded at −26 dBFS
#    (peak amplitude 0.050119) with a noise floor 50 dB lower. With --reference-db 94
#    the derived offset is 94 − (−26.0) = 120.0 dB (AES17: a sine of peak A reads 20·log10 A dBFS).
$SOX -n -r 48000 -b 24 -c 1 /tmp/ac_tone.wav synth 3 sine 1000 vol 0.050119
$SOX -n -r 48000 -b 24 -c 1 /tmp/ac_floor.wav synth 3 whitenoise vol 0.0002
$SOX -m -v 1 /tmp/ac_tone.wav -v 1 /tmp/ac_floor.wav calibrator.wav
rm -f /tmp/ac_*.wav
ls -l *.wav
