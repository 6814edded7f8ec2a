#!/usr/bin/env bash
# Regenerates the training corpus of the default classifier (classes quiet, speech, music, alarm,
# impulsive, engine, machinery, broadband) from Debian-packaged recordings plus sox synthesis.
# Output (outside the repository by default): OUT/audio/*.wav, OUT/manifest.csv (file,label,source) for
# training and OUT/external.csv (LinCity-NG and Simutrans sources) for an external test.
# Every source clip gives 3 variants: different sample rate (16/22.05/44.1/48 kHz), gain and
# background noise (pink/brown/white) at a different level. All variants of one source share the
# `source` key, so cross-validation never puts them on both sides of a split.
#
# Needs (Debian 12):
#   apt-get install sox libsox-fmt-all espeak-ng flite fluidsynth fluid-soundfont-gm python3-midiutil \
#     asterisk-core-sounds-en-wav sound-theme-freedesktop oxygen-sounds deepin-sound-theme \
#     colobot-common-sounds trigger-rally-data hydrogen-drumkits unzip \
#     openttd-opensfx wesnoth-1.16-music lincity-ng-data simutrans-pak64 \
#     torcs-data stormbaancoureur-data supertuxkart-data warzone2100-data widelands-data megaglest-data \
#     minetest-data extremetuxracer-data flightgear-data-base 0ad-data \
#     openclonk hedgewars-data ufoai-sound scorched3d-data boswars-data netpanzer-data
# Deterministic: sox -R seeds its noise generators; every choice below is a fixed list or counter.
# Provenance and licences: PROVENANCE.md beside this script.
set -euo pipefail
OUT=${1:-/tmp/acoustic-corpus}
HERE=$(cd "$(dirname "$0")" && pwd)
SOX="sox -R -V1 --no-show-progress"
rm -rf "$OUT"
mkdir -p "$OUT/audio" "$OUT/tmp" "$OUT/midi"
TMP="$OUT/tmp"
MANIFEST="$OUT/manifest.csv"
echo "file,label,source" > "$MANIFEST"
RATES=(16000 22050 44100 48000)
BGS=(pink brown white)
N=0

# prep IN OUT [TRIM_START [DURATION]]: mono 48 kHz float, at most 4 s, peak-normalised to -1 dBFS;
# clips shorter than 1.2 s are looped (with a short gap) so a window holds more than one instance.
prep() {
  local in=$1 out=$2 start=${3:-0} dur=${4:-4}
  local type=()
  case "$in" in *.oga) type=(-t ogg) ;; esac
  $SOX "${type[@]}" "$in" -c 1 -r 48000 -b 32 -e floating-point "$TMP/p.wav" trim "$start" "$dur"
  local d
  d=$(soxi -D "$TMP/p.wav")
  if awk "BEGIN{exit !($d < 1.2)}"; then
    local reps
    reps=$(awk "BEGIN{r=int(3.0/($d+0.25)); print (r<1?1:r)}")
    $SOX "$TMP/p.wav" "$TMP/p2.wav" pad 0 0.25 repeat "$reps"
    mv "$TMP/p2.wav" "$TMP/p.wav"
  fi
  $SOX "$TMP/p.wav" "$out" norm -1
}

# emit LABEL SOURCE PREPARED_WAV [quiet]: writes 3 variants and their manifest rows.
# Foreground gain -1/-10/-22 dB; background noise at 35/20/10 dB below the foreground's gain.
# Quiet class: gain 0/-4/-8 dB (its level is set by the source) and no added background
# (a -120 dB floor only, so the mix stays a quiet noise floor).
emit() {
  local label=$1 src=$2 in=$3 mode=${4:-normal}
  local dur
  dur=$(soxi -D "$in")
  local gains=(-1 -10 -22) snrs=(35 20 10)
  if [ "$mode" = quiet ]; then gains=(0 -4 -8); snrs=(120 120 120); fi
  for v in 0 1 2; do
    N=$((N + 1))
    local rate=${RATES[$((N % 4))]} bg=${BGS[$((N % 3))]}
    local g=${gains[$v]} s=${snrs[$v]}
    local bgdb=$((g - s))
    local name="${label}__${src}__${N}.wav"
    $SOX -n -r 48000 -c 1 -b 32 -e floating-point "$TMP/bg.wav" synth "$dur" "${bg}noise" vol "$bgdb" dB
    $SOX "$in" "$TMP/fg.wav" vol "$g" dB
    $SOX -m -v 1 "$TMP/fg.wav" -v 1 "$TMP/bg.wav" -r "$rate" -b 16 "$OUT/audio/$name"
    echo "audio/$name,$label,$src" >> "$MANIFEST"
  done
}

# synth LABEL SOURCE SOX_SYNTH_ARGS...: a synthetic source, 4 s, then emitted like a recording.
synth() {
  local label=$1 src=$2
  shift 2
  $SOX -n -r 48000 -c 1 -b 32 -e floating-point "$TMP/s.wav" "$@"
  $SOX "$TMP/s.wav" "$TMP/s2.wav" norm -1
  emit "$label" "$src" "$TMP/s2.wav"
}

echo "speech" >&2
# Real speech: Allison Smith's Asterisk prompts (every 12th file), trigger-rally's three co-drivers.
i=0
for f in $(ls /usr/share/asterisk/sounds/en_US_f_Allison/*.wav | sort); do
  i=$((i + 1)); [ $((i % 12)) -eq 1 ] || continue
  prep "$f" "$TMP/x.wav"; emit speech "allison-$(basename "$f" .wav)" "$TMP/x.wav"
done
unzip -o -q /usr/share/games/trigger-rally/data.zip 'sounds/*' -d "$TMP/trigger"
for voice in ab paula tim; do
  j=0
  for f in $(ls "$TMP/trigger/sounds/codriver/$voice/"*.wav | sort); do
    j=$((j + 1)); [ $((j % 3)) -eq 1 ] || continue
    prep "$f" "$TMP/x.wav"; emit speech "codriver-$voice-$(basename "$f" .wav)" "$TMP/x.wav"
  done
done
# Synthetic voices: espeak-ng and flite.
SENTENCES=("The train to the city centre leaves from platform four in ten minutes."
  "Please keep your belongings with you at all times."
  "We measured the noise near the school every night for a month."
  "Could you tell me the way to the nearest pharmacy?"
  "The meeting has been moved to Thursday afternoon."
  "Turn left at the roundabout and follow the signs."
  "Der Zug nach Berlin hat zehn Minuten Verspätung."
  "Le prochain bus arrive dans cinq minutes.")
VOICES=(en-us en-gb en-us+f3 en-gb+m3 en-us+f4 en-gb-scotland de fr)
for k in 0 1 2 3 4 5 6 7; do
  for vi in 0 1; do
    voice=${VOICES[$(((k + 3 * vi) % 8))]}
    espeak-ng -v "$voice" -s $((140 + 15 * vi)) -w "$TMP/e.wav" "${SENTENCES[$k]}"
    prep "$TMP/e.wav" "$TMP/x.wav"; emit speech "espeak-$k-$vi" "$TMP/x.wav"
  done
done
k=0
for voice in kal awb rms slt kal16 awb_time; do
  flite -voice "$voice" -t "${SENTENCES[$k]}" -o "$TMP/f.wav"
  prep "$TMP/f.wav" "$TMP/x.wav"; emit speech "flite-$voice" "$TMP/x.wav"
  k=$((k + 1))
done

echo "music" >&2
# Real music: Colobot soundtrack (two 4 s excerpts of each track, one source per track).
for f in /usr/share/games/colobot/music/*.ogg; do
  t=$(basename "$f" .ogg)
  for start in 30 75; do
    prep "$f" "$TMP/x.wav" "$start" 4; emit music "colobot-$t" "$TMP/x.wav"
  done
done
# Rendered MIDI: 20 generated pieces through the FluidR3 General MIDI soundfont.
/usr/bin/python3 "$HERE/make_midi.py" "$OUT/midi" 20
for m in "$OUT"/midi/*.mid; do
  fluidsynth -ni -q -F "$TMP/m.wav" -r 48000 /usr/share/sounds/sf2/FluidR3_GM.sf2 "$m" > /dev/null 2>&1
  prep "$TMP/m.wav" "$TMP/x.wav" 0.5 4; emit music "midi-$(basename "$m" .mid)" "$TMP/x.wav"
done

echo "alarm" >&2
for f in alarm-clock-elapsed bell phone-incoming-call phone-outgoing-busy phone-outgoing-calling dialog-warning; do
  prep "/usr/share/sounds/freedesktop/stereo/$f.oga" "$TMP/x.wav"; emit alarm "freedesktop-$f" "$TMP/x.wav"
done
for f in Oxygen-Im-Phone-Ring Oxygen-Sys-Warning Oxygen-Sys-App-Error-Critical Oxygen-Im-Nudge; do
  prep "/usr/share/sounds/$f.ogg" "$TMP/x.wav"; emit alarm "oxygen-$f" "$TMP/x.wav"
done
for f in dialog-error-serious dialog-error-critical power-unplug-battery-low; do
  prep "/usr/share/sounds/deepin/stereo/$f.wav" "$TMP/x.wav"; emit alarm "deepin-$f" "$TMP/x.wav"
done
for n in 009 014 031 072; do
  prep "/usr/share/games/colobot/sounds/sound$n.wav" "$TMP/x.wav"; emit alarm "colobot-$n" "$TMP/x.wav"
done
# Synthetic sirens (wail, yelp, hi-lo), beepers, horns and bells.
for k in 0 1 2 3 4 5; do
  lo=$((500 + 80 * k)); hi=$((1100 + 150 * k))
  synth alarm "siren-wail-$k" synth 4 sine "$lo"-"$hi" synth 4 sine fmod 0.$((2 + k))
  synth alarm "siren-yelp-$k" synth 4 sine "$lo"-"$hi" synth 4 sawtooth fmod $((3 + k))
  synth alarm "siren-hilo-$k" synth 4 sine $((450 + 40 * k)) synth 4 square fmod 1.$k vol 0.8
done
for k in 0 1 2 3 4 5; do
  synth alarm "beeper-$k" synth 4 sine $((900 + 400 * k)) synth 4 square amod $((2 + k)) 50
  synth alarm "horn-$k" synth 4 square $((300 + 40 * k)) square $((380 + 50 * k)) synth 4 square amod 0.$((5 + k)) 50 lowpass 3000
done
for k in 0 1 2 3; do
  f0=$((600 + 250 * k))
  $SOX -n -r 48000 -c 1 -b 32 -e floating-point "$TMP/b1.wav" synth 0.9 sine $f0 sine $((f0 * 27 / 10)) sine $((f0 * 51 / 10)) fade q 0.005 0.9 0.85 pad 0 0.1
  $SOX "$TMP/b1.wav" "$TMP/b2.wav" repeat 3 norm -1
  emit alarm "bell-$k" "$TMP/b2.wav"
done

echo "impulsive" >&2
# Drum hits from the Hydrogen drum kits: kicks, snares, toms, claps, crashes; each hit repeated with gaps.
for kit in /usr/share/hydrogen/data/drumkits/*/; do
  kname=$(basename "$kit" | tr -c 'A-Za-z0-9\n' '_')
  c=0
  while IFS= read -r f; do
    c=$((c + 1)); [ $c -le 4 ] || break
    gap=0.$((5 + c))
    $SOX "$f" -c 1 -r 48000 -b 32 -e floating-point "$TMP/h.wav" trim 0 0.6
    $SOX "$TMP/h.wav" "$TMP/h2.wav" pad 0.1 "$gap" repeat 3 trim 0 4 norm -1
    emit impulsive "hydrogen-$kname-$c" "$TMP/h2.wav"
  done < <(ls "$kit" | grep -iE 'kick|bd|snare|sd|tom|clap|crash|bang|hit' | grep -iE '\.(flac|wav)$' | sort | sed "s|^|$kit|")
done
for n in 001 002 053 055 056 058 074 079 080; do
  prep "/usr/share/games/colobot/sounds/sound$n.wav" "$TMP/x.wav"; emit impulsive "colobot-$n" "$TMP/x.wav"
done
prep "$TMP/trigger/sounds/bang.wav" "$TMP/x.wav"; emit impulsive "trigger-bang" "$TMP/x.wav"

echo "engine" >&2
for sp in 0.8 1.0 1.3; do
  $SOX "$TMP/trigger/sounds/engine.wav" "$TMP/eng.wav" speed "$sp"
  prep "$TMP/eng.wav" "$TMP/x.wav"; emit engine "trigger-engine" "$TMP/x.wav"
done
for n in 003 004 006 007 008 046; do
  prep "/usr/share/games/colobot/sounds/sound$n.wav" "$TMP/x.wav"; emit engine "colobot-$n" "$TMP/x.wav"
done
# Synthetic engines: a firing-rate sawtooth (25–110 Hz) and its second harmonic, low-passed, with
# exhaust noise; some with a rev change; and passing traffic (band-passed pink noise swelling and fading).
for k in 0 1 2 3 4 5 6 7 8 9 10 11; do
  f0=$((25 + 7 * k))
  if [ $((k % 3)) -eq 0 ]; then fr="$f0-$((f0 * 3 / 2))"; else fr=$f0; fi
  synth engine "engine-$k" synth 4 sawtooth "$fr" sawtooth $((2 * f0)) brownnoise synth 4 sine amod $((f0 / 4)) 30 lowpass $((800 + 150 * k)) vol 0.7
done
for k in 0 1 2 3 4 5; do
  synth engine "traffic-$k" synth 4 pinknoise bandpass $((500 + 150 * k)) 1.2q synth 4 sawtooth mix $((40 + 5 * k)) lowpass 1500 fade q 1.5 4 1.5
done

echo "machinery" >&2
for n in 010 015 016 018 019 024 030 044; do
  prep "/usr/share/games/colobot/sounds/sound$n.wav" "$TMP/x.wav"; emit machinery "colobot-$n" "$TMP/x.wav"
done
for k in 0 1 2 3 4 5; do
  synth machinery "drill-$k" synth 4 square $((180 + 45 * k)) whitenoise synth 4 square amod $((200 + 45 * k)) 20 highpass 150 overdrive 10
  synth machinery "hum-$k" synth 4 sine $((50 + 10 * (k % 2))) sine $((100 + 20 * (k % 2))) sine $((150 + 30 * (k % 2))) pinknoise synth 4 sine amod 0.5 5 lowpass 2000
  synth machinery "saw-$k" synth 4 sawtooth $((1500 + 300 * k)) synth 4 sine amod $((8 + k)) 60 pinknoise mix 0 highpass 500
  synth machinery "grinder-$k" synth 4 whitenoise bandpass $((3000 + 500 * k)) 0.8q synth 4 sine amod $((100 + 20 * k)) 40
  synth machinery "fan-$k" synth 4 pinknoise lowpass $((1200 + 300 * k)) synth 4 sine mix $((18 + 4 * k)) synth 4 sine amod $((6 + k)) 15
done

echo "broadband" >&2
for f in wind gravel; do
  for start in 0.5 2.5; do
    prep "$TMP/trigger/sounds/$f.wav" "$TMP/x.wav" "$start" 4; emit broadband "trigger-$f" "$TMP/x.wav"
  done
done
for n in 021 028 038 039; do
  prep "/usr/share/games/colobot/sounds/sound$n.wav" "$TMP/x.wav"; emit broadband "colobot-$n" "$TMP/x.wav"
done
for k in 0 1 2 3 4 5; do
  synth broadband "rain-$k" synth 4 whitenoise highpass $((800 + 200 * k)) synth 4 pinknoise amod 0 40
  synth broadband "wind-$k" synth 4 brownnoise synth 4 sine amod 0.$((2 + k)) 60 lowpass $((600 + 200 * k))
  synth broadband "water-$k" synth 4 pinknoise bandpass $((900 + 300 * k)) 0.5q synth 4 pinknoise amod 0 30
  synth broadband "noise-$k" synth 4 "${BGS[$((k % 3))]}noise" highpass $((50 + 40 * k))
done

echo "quiet" >&2
# Quiet: a room or night-time noise floor at about -60 to -85 dBFS RMS (peak -50 to -71 dBFS), no foreground.
for k in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
  col=${BGS[$((k % 3))]}
  lvl=$((-50 - (k * 7) % 22))
  $SOX -n -r 48000 -c 1 -b 32 -e floating-point "$TMP/q.wav" synth 4 "${col}noise" lowpass $((300 + 400 * (k % 5))) norm "$lvl"
  emit quiet "floor-$k" "$TMP/q.wav" quiet
done
for f in wind gravel; do
  prep "$TMP/trigger/sounds/$f.wav" "$TMP/x.wav" 1 4
  $SOX "$TMP/x.wav" "$TMP/q.wav" vol -58 dB
  emit quiet "faint-trigger-$f" "$TMP/q.wav" quiet
done

# Added for the version-2 model (appended last so every earlier clip keeps its counter, rate and
# background): real recordings for the weak classes. OpenTTD's OpenSFX set (catalogue indices, see
# PROVENANCE.md) and excerpts of the Wesnoth soundtrack (orchestral, unlike the Colobot and MIDI music).
echo "opensfx + wesnoth" >&2
python3 "$HERE/extract_opensfx.py" /usr/share/games/openttd/baseset/opensfx/opensfx.cat "$TMP/osfx" 2> /dev/null
osfx() {
  local label=$1
  shift
  for i in "$@"; do
    prep "$TMP/osfx/$i.wav" "$TMP/x.wav"; emit "$label" "opensfx-$i" "$TMP/x.wav"
  done
}
osfx engine 08 09 24 25 27 28 59 61 69 71   # planes, jets, helicopter, trucks, buses, monorail pass-by
osfx machinery 11 12 33 40 56               # mining lift, electric sparking, jackhammer, circular saw, chainsaw
osfx alarm 03 06 07 14 22                   # factory whistle, ship and ferry horns, level crossing, morse
osfx impulsive 15 17 18 19                  # dropped metal, crashes, explosion
osfx broadband 13 52                        # steam hiss, wind
w=0
for f in $(ls /usr/share/games/wesnoth/1.16/data/core/music/*.ogg | sort); do
  w=$((w + 1)); [ $((w % 2)) -eq 1 ] || continue
  d=$(soxi -D "$f")
  start=$(awk "BEGIN{printf \"%.1f\", $d * 0.4}")
  prep "$f" "$TMP/x.wav" "$start" 4; emit music "wesnoth-$(basename "$f" .ogg)" "$TMP/x.wav"
done

# Ambient recordings of the city games LinCity-NG and Simutrans (mostly 11.025 kHz, so nothing above
# 5.5 kHz: the sources span six classes, so that band limit does not single out one). Numbered takes of
# one LinCity sound (TraficHigh1..3) share one source key: they may be cuts of one recording.
# These go to OUT/external.csv, not the training manifest: the default model never hears them, and
# they measure how it does on recordings from packages (games, recording chains) it has not met.
echo "lincity + simutrans (external.csv)" >&2
MANIFEST="$OUT/external.csv"
echo "file,label,source" > "$MANIFEST"
LC=/usr/share/games/lincity-ng/sounds
lincity() {
  local label=$1 group=$2
  for f in $(ls "$LC/$group"*.wav | sort); do
    prep "$f" "$TMP/x.wav"; emit "$label" "lincity-$group" "$TMP/x.wav"
  done
}
for g in TraficHigh TraficLow RailTrain; do lincity engine "$g"; done
for g in IndustryHigh IndustryLight CoalMine OreMine Mill PowerCoal Substation; do lincity machinery "$g"; done
for g in Water Fire; do lincity broadband "$g"; done
lincity impulsive Blacksmith
ST=/usr/share/games/simutrans/pak/sound
simutrans() {
  local label=$1
  shift
  for n in "$@"; do
    prep "$ST/$n.wav" "$TMP/x.wav"; emit "$label" "simutrans-$n" "$TMP/x.wav"
  done
}
simutrans engine bus truck diesel comet-jet planelow
simutrans machinery buzzsaw jackhammer
simutrans broadband Water steam
simutrans impulsive explosion
simutrans alarm crossing boat-horn
for f in "/usr/share/games/lincity-ng/music/default/"*.ogg; do
  t=$(basename "$f" .ogg | tr -c 'A-Za-z0-9\n' '_')
  for start in 30 75; do
    prep "$f" "$TMP/x.wav" "$start" 4; emit music "lincity-$t" "$TMP/x.wav"
  done
done

# Added for the version-3 corpus (appended after the external sources, so every earlier clip, training
# and external, keeps its counter, rate and background): more real recordings of engines, machines and
# noise-like sounds (wind, rain, water, fire) and faint real ambiences for quiet, from game packages
# (PROVENANCE.md lists package, version, licence and files). The same recording found in two packages
# (SuperTuxKart's rain.ogg is MegaGlest's dark_forest rain) is used once.
echo "version-3 additions: torcs, stormbaancoureur, supertuxkart, warzone2100, widelands, megaglest, minetest, etr, flightgear, 0ad" >&2
MANIFEST="$OUT/manifest.csv"
# add LABEL SOURCE FILE [START [DURATION]]: one clip of FILE (prep) emitted under SOURCE; a continuous
# sound shorter than 1.2 s is not used (prep would loop it with gaps).
add() {
  prep "$3" "$TMP/x.wav" "${4:-0}" "${5:-4}"; emit "$1" "$2" "$TMP/x.wav"
}
TD=/usr/share/games/torcs/data/sound
for c in 944 alpha-romeo corolla1400hi2 f360 ferrarif355 ford1b gt40 lamborghinidiablo lotus mclarenf1 nsx porsche_engine renault-v10 viper_long; do
  add engine "torcs-$c" "$TD/$c.wav"                 # recorded car-engine loops (TORCS)
done
for start in 0 6; do
  add engine sbc-camaro /usr/share/games/stormbaancoureur/sounds/camaro_s16_le.wav "$start" 4
done
STK=/usr/share/games/supertuxkart/data/sfx
for c in engine_large engine_small car_accel car_revup airplane_jetEngine; do add engine "stk-$c" "$STK/$c.ogg"; done
unzip -o -q /usr/share/games/warzone2100/base.wz 'audio/sfx/vehicle/*' 'audio/sfx/building/*' -d "$TMP/wz"
WZ="$TMP/wz/audio/sfx"
for c in tflight tread hovmove vtol-move; do add engine "wz-$c" "$WZ/vehicle/$c.ogg"; done
WL=/usr/share/games/widelands/data/sound
add machinery wl-sawmill "$WL/sawmill/sawmill_00.ogg"
add machinery wl-sawmill "$WL/sawmill/sawmill_01.ogg"
for start in 1 7; do add machinery wl-benchsaw "$WL/atlanteans/saw/benchsaw_00.ogg" "$start" 4; done
add machinery wl-sawing "$WL/atlanteans/saw/sawing_00.ogg"
add machinery wl-mill "$WL/mill/mill_turning_00.ogg"
add machinery wl-mill "$WL/mill/mill_turning_01.ogg"
for start in 0 6; do add machinery wl-weaving "$WL/mill/weaving.ogg" "$start" 4; done
add machinery wl-stonegrind "$WL/barbarians/stonegrind.ogg"
for start in 0 5; do add machinery wl-sharpening "$WL/smiths/sharpening.ogg" "$start" 4; done
for c in oilpump powerhum powerspk; do add machinery "wz-$c" "$WZ/building/$c.ogg"; done
add machinery stk-machine_sound "$STK/machine_sound.ogg"
MT=/usr/share/games/minetest/games/minetest_game/mods
add broadband mt-water "$MT/env_sounds/sounds/env_sounds_water.1.ogg"
add broadband mt-water "$MT/env_sounds/sounds/env_sounds_water.3.ogg"
add broadband mt-fire "$MT/fire/sounds/fire_fire.1.ogg"
add broadband mt-fire "$MT/fire/sounds/fire_large.ogg" 2 4
add broadband stk-rain "$STK/rain.ogg"
for start in 1 8; do add broadband stk-river "$STK/river_loop.ogg" "$start" 4; done
for start in 1 8; do add broadband stk-waterfall "$STK/waterfall_loop_2.ogg" "$start" 4; done
MG=/usr/share/games/megaglest/tilesets
for start in 1 9; do add broadband mg-rain-autumn "$MG/autumn/sounds/rain.ogg" "$start" 4; done
for start in 1 9; do add broadband mg-rain-desert2 "$MG/desert2/sounds/rain.wav" "$start" 4; done
for start in 2 14; do add broadband mg-rain-birch "$MG/birch_forest/sounds/rain.ogg" "$start" 4; done
for start in 2 16; do add broadband mg-wind-winter "$MG/winter/sounds/wind.ogg" "$start" 4; done
for start in 2 16; do add broadband mg-wind-winter_forest "$MG/winter_forest/sounds/wind.ogg" "$start" 4; done
add broadband etr-mud_slide /usr/share/games/etr/sounds/mud_slide.wav
add broadband etr-grass_slide /usr/share/games/etr/sounds/grass_slide.wav
for c in steam freroar; do add broadband "wz-$c" "$WZ/building/$c.ogg"; done
FG=/usr/share/games/flightgear
for c in R-1535Slow engine-prop exhaust_loop helicopter jet p51d_rpm1 prop turbojet_fan turboprop1 turbine_loop; do
  add engine "fg-$c" "$FG/Sounds/$c.wav"                    # recorded aircraft piston, turboprop, jet, rotor
done
add engine fg-c172p-engine "$FG/Aircraft/c172p/Sounds/engine.wav" 1 4
add engine fg-c172p-engine "$FG/Aircraft/c172p/Sounds/engine-idle.wav" 1 4
for c in fan avionics-400Hz; do add machinery "fg-$c" "$FG/Sounds/$c.wav"; done
add machinery fg-gyro "$FG/Aircraft/c172p/Sounds/gyro.wav"
add machinery fg-flaps-motor "$FG/Aircraft/c172p/Sounds/flaps-motor.wav" 1 4
for c in rain rain-windshield wind wind1; do add broadband "fg-$c" "$FG/Sounds/$c.wav"; done
for c in water-fast water-still; do add broadband "fg-$c" "$FG/Aircraft/c172p/Sounds/$c.wav" 1 4; done
# 0 A.D.: long ambient field recordings (two excerpts of each; takes that may be cuts or processed
# versions of one recording share a source key: rain_11/12, wind_11/snowstorm_11, river_fast/slow, wave/wavecrash).
unzip -o -q /usr/share/games/0ad/mods/public/public.zip 'audio/ambient/weather/*' 'audio/ambient/water/*' \
  'audio/ambient/dayscape/day_temperate_gen_01.ogg' 'audio/attack/fire/c_11.ogg' -d "$TMP/0ad"
AD="$TMP/0ad/audio"
add broadband 0ad-rain "$AD/ambient/weather/rain_11.ogg" 20 4
add broadband 0ad-rain "$AD/ambient/weather/rain_12.ogg" 60 4
add broadband 0ad-wind "$AD/ambient/weather/wind_11.ogg" 30 4
add broadband 0ad-wind "$AD/ambient/weather/snowstorm_11.ogg" 90 4
for start in 20 70; do add broadband 0ad-windstorm "$AD/ambient/weather/windstorm_11.ogg" "$start" 4; done
add broadband 0ad-river "$AD/ambient/water/river_fast_21.ogg" 2 4
add broadband 0ad-river "$AD/ambient/water/river_slow_21.ogg" 10 4
for start in 2 14; do add broadband 0ad-waterfall "$AD/ambient/water/waterfall_31.ogg" "$start" 4; done
add broadband 0ad-wave "$AD/ambient/water/wave_21.ogg" 2 4
add broadband 0ad-wave "$AD/ambient/water/wavecrash_21.ogg" 5 4
add broadband 0ad-fire "$AD/attack/fire/c_11.ogg"
# Quiet: real night and day ambiences (not used elsewhere) turned down to a faint floor, like faint-trigger-*.
faint() {
  prep "$2" "$TMP/x.wav" 1 4
  $SOX "$TMP/x.wav" "$TMP/q.wav" vol -58 dB
  emit quiet "$1" "$TMP/q.wav" quiet
}
faint faint-wl-crickets "$WL/animals/crickets1_00.ogg"
faint faint-mg-night-desert2 "$MG/desert2/sounds/night.ogg"
faint faint-mg-day-birch "$MG/birch_forest/sounds/day.ogg"
faint faint-0ad-day "$AD/ambient/dayscape/day_temperate_gen_01.ogg"

# Added for the version-4 corpus (appended after the version-3 block, so every earlier clip keeps its
# counter, rate and background): more real recordings of machines (the weakest class), engines and
# noise-like sounds from game packages not used before (PROVENANCE.md lists package, version, licence
# and files). Chosen by name and by the numbers (duration, active fraction, level steadiness, spectrogram);
# takes or cuts that may come from one recording share one source key.
echo "version-4 additions: openclonk, hedgewars, ufoai, scorched3d, boswars, netpanzer" >&2
# OpenClonk packs its data in c4group files; its own c4group tool (package openclonk) unpacks them in place.
mkdir -p "$TMP/oc"
cp /usr/share/games/openclonk/Sound.ocg /usr/share/games/openclonk/Objects.ocd "$TMP/oc/"
(cd "$TMP/oc" && c4group Sound.ocg -x > /dev/null 2>&1 && c4group Objects.ocd -x > /dev/null 2>&1)
OC="$TMP/oc/Sound.ocg"
add machinery oc-elevator "$OC/Structures.ocg/Elevator.ocg/Moving.ogg"         # lift motor hum
add machinery oc-fan "$OC/Structures.ocg/FanLoop.ogg"                          # airship fan loop
add machinery oc-pumpjack "$OC/Structures.ocg/Pumpjack.ogg" 0.5 4              # oil pumpjack stroke (field recording)
add machinery oc-sawmill-ripcut "$OC/Structures.ocg/SawmillRipcut.ogg"         # circular saw cutting
add machinery oc-steamengine "$OC/Structures.ocg/SteamEngine.ogg"              # stationary steam engine
for start in 0 5; do add machinery oc-electrical "$OC/Objects.ocg/Electrical.ogg" "$start" 4; done  # electric buzz and arcing
add engine oc-sawmill-engine "$TMP/oc/Objects.ocd/Structures.ocd/Sawmill.ocd/EngineStart.ogg" 0.6 4  # small petrol engine starting and running
add engine oc-propeller "$OC/Objects.ocg/Plane.ocg/PropellerLoop.ogg"          # propeller plane engine loop
for start in 5 30; do add broadband oc-wind "$OC/Environment.ocg/WindLoop.ogg" "$start" 4; done
for start in 5 35; do add broadband oc-rain "$OC/Liquids.ocg/StereoRain.ogg" "$start" 4; done
add broadband oc-waterfall "$OC/Environment.ocg/Waterfall.ogg"
add broadband oc-fire "$OC/Fire.ocg/Fire.ogg" 1 4
add broadband oc-boiling "$OC/Liquids.ocg/Boiling.ogg" 0.5 4
add broadband oc-sizzle "$OC/Liquids.ocg/Sizzle.ogg"
add broadband oc-smokesizzle "$OC/Liquids.ocg/SmokeSizzle.ogg"
add broadband oc-fuse "$OC/Fire.ocg/FuseLoop.ogg"                              # burning fuse hiss
HW=/usr/share/games/hedgewars/Data/Sounds
for c in plane rcplane; do add engine "hw-$c" "$HW/$c.ogg"; done
add broadband hw-flamethrower "$HW/flamethrower.ogg"
# UFO: Alien Invasion: ambience and vehicle sounds from its sound pk3 (a zip). The alien machinery and
# engine loops are designed sci-fi drones and are not used.
unzip -o -q /usr/share/games/ufoai/base/0snd.pk3 'sound/ambience/*' 'sound/ugv/*' -d "$TMP/ufo"
UA="$TMP/ufo/sound/ambience"
for start in 10 80; do add machinery ufo-minepump "$UA/minepump03.ogg" "$start" 4; done  # 154 s recording of a mine pump
add machinery ufo-machine1 "$UA/machine1.ogg"
add machinery ufo-hum "$UA/hum.ogg" 1 4
add machinery ufo-hum "$UA/hum2.ogg" 2 4
add machinery ufo-sparks "$UA/sparks.ogg"                                     # electric buzz with sparking
add machinery ufo-lights "$UA/lights_loop.ogg"                                # lamp ballast hum
add engine ufo-ugv-diesel "$TMP/ufo/sound/ugv/diesel-idle.ogg"
add engine ufo-ugv-diesel "$TMP/ufo/sound/ugv/diesel-move.ogg" 2 4
add engine ufo-ugv-hover "$TMP/ufo/sound/ugv/hover-move.ogg" 2 4
for start in 5 25; do add broadband ufo-arcticwind "$UA/arcticwind.ogg" "$start" 4; done
add broadband ufo-fire "$UA/fire.ogg" 1 4
add broadband ufo-fire1 "$UA/fire1.ogg" 1 4
add broadband ufo-fire1 "$UA/fire2.ogg" 1 4
add broadband ufo-fire04 "$UA/fire04.ogg"
add broadband ufo-fire04 "$UA/fire05.ogg"
add broadband ufo-water01 "$UA/water01.ogg" 1 4
add broadband ufo-water01 "$UA/water02.ogg"
for start in 2 10; do add broadband ufo-fountain "$UA/waterfontain.ogg" "$start" 4; done
add broadband ufo-steam "$UA/steam.ogg"
# Scorched 3D (mostly 11.025 kHz): the Apocalypse mod's factory loop and aircraft, the base game's turret
# motors (elevate and turn: one source), vehicles, rain and surf.
S3=/usr/share/games/scorched3d/data/globalmods
for start in 0 10; do add machinery s3d-factory "$S3/apoc/data/wav/misc/factoryloop1.wav" "$start" 4; done
add machinery s3d-turret "$S3/none/data/wav/movement/elevate.wav" 1 4
add machinery s3d-turret "$S3/none/data/wav/movement/turn.wav" 1 4
for start in 0 5; do add engine s3d-cessna "$S3/apoc/data/wav/misc/cessna.wav" "$start" 4; done
add engine s3d-helicopter "$S3/apoc/data/wav/misc/helicopter.wav" 2 4
add engine s3d-t38 "$S3/none/data/wav/misc/t38.wav" 1 4
add engine s3d-tankmove "$S3/none/data/wav/movement/tankmove.wav" 2 4
for start in 1 8; do add broadband s3d-rain "$S3/none/data/wav/misc/rain.wav" "$start" 4; done
for start in 5 20; do add broadband s3d-ocean "$S3/none/data/wav/misc/oceanwaves.wav" "$start" 4; done
# Bos Wars building sounds (pump cycle, vehicle factory) and NetPanzer tank engines.
BW=/usr/share/games/boswars/units
for start in 0 4.2; do add machinery bw-magmapump "$BW/magmapump/magmapump.select.wav" "$start" 4; done
add machinery bw-vehiclefactory "$BW/vehiclefactory/sfx_vfac.select.wav" 0.5 4
NP=/usr/share/games/netpanzer/sound
add engine np-heavy "$NP/hevidle.wav"
add engine np-heavy "$NP/hevmov.wav"
add engine np-tankidle "$NP/tankidle.wav"

rm -rf "$TMP"
echo "$(($(wc -l < "$OUT/manifest.csv") - 1)) training files and $(($(wc -l < "$OUT/external.csv") - 1)) external test files in $OUT" >&2
