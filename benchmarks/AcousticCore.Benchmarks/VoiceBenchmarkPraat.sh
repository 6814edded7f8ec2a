#!/usr/bin/env bash
# Times Praat's voice report on the same 60 s of TTS speech that VoiceBenchmarks analyses (the committed 16 kHz reference
# clips, concatenated in VoiceBenchmarks.SpeechClips order, repeated, cut at 60 s), and `acoustic voice features` on it.
# Needs praat and sox (Debian). Usage: benchmarks/AcousticCore.Benchmarks/VoiceBenchmarkPraat.sh [path/to/acoustic]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ref="$here/../../tests/AcousticCore.Tests/Voice/Reference"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
clips=(espeak_en_m_16k flite_slt_f_16k festival_kal_m_16k espeak_de_m_16k flite_rms_m_16k espeak_fr_f_16k)
list=()
for _ in 1 2 3 4 5; do for c in "${clips[@]}"; do list+=("$ref/$c.wav"); done; done
sox "${list[@]}" "$tmp/speech60.wav" trim 0 60
soxi "$tmp/speech60.wav" | grep -E 'Duration|Sample Rate'
cat > "$tmp/voice_report.praat" <<'PRAAT'
form Voice report timing
	sentence wavPath x.wav
endform
sound = Read from file: wavPath$
pitch = To Pitch (cc): 0, 75, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, 600
selectObject: sound, pitch
pulses = To PointProcess (cc)
selectObject: sound, pitch, pulses
report$ = Voice report: 0, 0, 75, 600, 1.3, 1.6, 0.03, 0.45
selectObject: pulses
j = Get jitter (local): 0, 0, 0.0001, 0.02, 1.3
selectObject: sound, pulses
s = Get shimmer (local): 0, 0, 0.0001, 0.02, 1.3, 1.6
selectObject: sound
harm = To Harmonicity (cc): 0.01, 75, 0.1, 1.0
hnr = Get mean: 0, 0
writeInfoLine: "jitter ", j, " shimmer ", s, " hnr ", hnr
PRAAT
# the same without the Voice report command (pitch, pulses, jitter, shimmer, harmonicity only: Praat's least work)
grep -v -e '^report\$ = Voice report' -e '^selectObject: sound, pitch, pulses$' "$tmp/voice_report.praat" > "$tmp/voice_minimal.praat"
for run in 1 2 3; do
  /usr/bin/time -f "praat voice report:  wall %e s, user %U s, sys %S s" praat --run "$tmp/voice_report.praat" "$tmp/speech60.wav"
  /usr/bin/time -f "praat minimal:       wall %e s, user %U s, sys %S s" praat --run "$tmp/voice_minimal.praat" "$tmp/speech60.wav"
done
if [ $# -ge 1 ]; then
  for run in 1 2 3; do
    /usr/bin/time -f "acoustic voice features: wall %e s, user %U s, sys %S s" "$1" voice features "$tmp/speech60.wav" --format csv > /dev/null
  done
fi
