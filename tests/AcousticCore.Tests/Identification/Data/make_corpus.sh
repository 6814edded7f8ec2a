#!/bin/sh
# Regenerates the synthetic speaker corpus used to train the background model (UBM) and to
# calibrate / evaluate the identification engine. Deterministic: fixed voices, texts, rates,
# no dither. Needs Debian packages espeak-ng, flite, sox (bookworm: espeak-ng 1.51, flite 2.2, sox 14.4.2).
#
#   sh make_corpus.sh OUTDIR
#
# Layout (all 16 kHz mono 16-bit WAV):
#   OUTDIR/ubm/<speaker>/sNN.wav    background speakers, sentences 1-40 of sentences.txt
#   OUTDIR/eval/<speaker>/sNN.wav   held-out speakers (never in the UBM), sentences 41-70
#     sentences 41-50 are used for enrolment, 51-70 for test trials (different text).
# A "speaker" is one TTS voice: an espeak-ng accent + voice variant, or a flite voice.
# Note: espeak-ng 1.51 ignores the variant in "-v en-gb+VARIANT" (all give the same audio), so the
# British voice is named "en+VARIANT"; the script checks at the end that no two speakers are identical.
set -eu
OUT=${1:?usage: make_corpus.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
TEXT="$HERE/sentences.txt"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# background: 14 espeak-ng voices + 2 flite voices
UBM_SPEAKERS="espeak:en-us+m1 espeak:en-us+f1 espeak:en+m2 espeak:en+f2 espeak:en-gb-scotland+m3
espeak:en-029+m4 espeak:en-gb-x-rp+m5 espeak:en-us-nyc+f3 espeak:en-gb-x-gbcwmd+klatt
espeak:en-gb-x-gbclan+klatt2 espeak:en-us+adam espeak:en+belinda espeak:en-us+john espeak:en+linda
flite:kal16 flite:awb"
# held out: 8 espeak-ng voices (variants not used above) + 2 flite voices
EVAL_SPEAKERS="espeak:en-us+m6 espeak:en+f4 espeak:en-gb-scotland+m7 espeak:en-029+f5
espeak:en-us-nyc+klatt3 espeak:en-gb-x-rp+max espeak:en-us+steph espeak:en+robert
flite:rms flite:slt"

synth() { # engine:voice index text out.wav
    engine=${1%%:*}; voice=${1#*:}
    case $engine in
        espeak)
            # speaking rate varies a little per sentence (150-174 wpm) so a voice is not one fixed tempo
            rate=$((150 + ($2 * 7) % 25))
            espeak-ng -v "$voice" -s "$rate" -w "$TMP/raw.wav" "$3" ;;
        flite)
            flite -voice "$voice" -t "$3" -o "$TMP/raw.wav" ;;
    esac
    # -D: no dither, so the output is bit-identical on every run; trim leading/trailing silence is left
    # to the engine's voice-activity detector on purpose.
    sox -D "$TMP/raw.wav" -r 16000 -c 1 -b 16 "$4" gain -n -3
}

make_set() { # set first last speakers...
    set_name=$1; first=$2; last=$3; shift 3
    for spk in "$@"; do
        dir="$OUT/$set_name/$(echo "$spk" | tr ':+' '__')"
        mkdir -p "$dir"
        i=$first
        while [ "$i" -le "$last" ]; do
            line=$(sed -n "${i}p" "$TEXT")
            synth "$spk" "$i" "$line" "$dir/s$(printf %02d "$i").wav"
            i=$((i + 1))
        done
    done
}

# shellcheck disable=SC2086
make_set ubm 1 40 $UBM_SPEAKERS
# shellcheck disable=SC2086
make_set eval 41 70 $EVAL_SPEAKERS
# Guard: every speaker must sound different (identical first files mean a voice name was ignored).
dups=$(for d in "$OUT"/ubm/* "$OUT"/eval/*; do md5sum < "$(ls "$d"/*.wav | head -1)"; done | sort | uniq -d)
if [ -n "$dups" ]; then echo "error: two speakers produced identical audio" >&2; exit 1; fi
echo "corpus written to $OUT"
