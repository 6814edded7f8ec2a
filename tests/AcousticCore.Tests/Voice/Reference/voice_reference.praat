# Praat reference values for AcousticCore's voice analysis (run headless: praat --run voice_reference.praat WAV OUTDIR).
# Settings are exactly those of Praat's Voice report / the issue:
#   To Pitch (cc): time step 0 (auto), floor 75, 15 candidates, very accurate off, silence 0.03, voicing 0.45,
#                  octave cost 0.01, octave-jump cost 0.35, voiced/unvoiced cost 0.14, ceiling 600
#   To PointProcess (cc) from Sound + Pitch
#   jitter: 0, 0, 0.0001, 0.02, 1.3     shimmer: 0, 0, 0.0001, 0.02, 1.3, 1.6
#   To Harmonicity (cc): 0.01, 75, 0.1, 1.0   -> Get mean over sounding frames
# Appends one row to OUTDIR/praat_voice_reference.csv, writes OUTDIR/pitch/NAME.csv and OUTDIR/pulses/NAME.csv.
form Voice reference
	sentence wavPath x.wav
	sentence outDir .
endform

sound = Read from file: wavPath$
name$ = selected$ ("Sound")
fs = Get sampling frequency
dur = Get total duration

pitch = To Pitch (cc): 0, 75, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, 600
nFrames = Get number of frames
dt = Get time step
t1 = Get time from frame number: 1
nVoiced = Count voiced frames
f0mean = Get mean: 0, 0, "Hertz"
f0sd = Get standard deviation: 0, 0, "Hertz"
f0median = Get quantile: 0, 0, 0.5, "Hertz"
f0min = Get minimum: 0, 0, "Hertz", "none"
f0max = Get maximum: 0, 0, "Hertz", "none"

pitchFile$ = outDir$ + "/pitch/" + name$ + ".csv"
writeFileLine: pitchFile$, "time_s,f0_hz"
for i to nFrames
	t = Get time from frame number: i
	f = Get value in frame: i, "Hertz"
	if f = undefined
		f = 0
	endif
	appendFileLine: pitchFile$, fixed$ (t, 6), ",", fixed$ (f, 4)
endfor

selectObject: sound, pitch
pulses = To PointProcess (cc)
nPulses = Get number of points
pulseFile$ = outDir$ + "/pulses/" + name$ + ".csv"
writeFileLine: pulseFile$, "time_s"
for i to nPulses
	t = Get time from index: i
	appendFileLine: pulseFile$, fixed$ (t, 7)
endfor
jLocal = Get jitter (local): 0, 0, 0.0001, 0.02, 1.3
jAbs = Get jitter (local, absolute): 0, 0, 0.0001, 0.02, 1.3
jRap = Get jitter (rap): 0, 0, 0.0001, 0.02, 1.3
jPpq5 = Get jitter (ppq5): 0, 0, 0.0001, 0.02, 1.3
jDdp = Get jitter (ddp): 0, 0, 0.0001, 0.02, 1.3

selectObject: sound, pulses
sLocal = Get shimmer (local): 0, 0, 0.0001, 0.02, 1.3, 1.6
sDb = Get shimmer (local_dB): 0, 0, 0.0001, 0.02, 1.3, 1.6
sApq3 = Get shimmer (apq3): 0, 0, 0.0001, 0.02, 1.3, 1.6
sApq5 = Get shimmer (apq5): 0, 0, 0.0001, 0.02, 1.3, 1.6
sApq11 = Get shimmer (apq11): 0, 0, 0.0001, 0.02, 1.3, 1.6
sDda = Get shimmer (dda): 0, 0, 0.0001, 0.02, 1.3, 1.6

selectObject: sound
harm = To Harmonicity (cc): 0.01, 75, 0.1, 1.0
hnr = Get mean: 0, 0

csv$ = outDir$ + "/praat_voice_reference.csv"
if not fileReadable (csv$)
	writeFileLine: csv$, "file,sample_rate_hz,duration_s,pitch_frames,pitch_dt_s,pitch_t1_s,voiced_frames,f0_mean_hz,f0_sd_hz,f0_median_hz,f0_min_hz,f0_max_hz,pulses,jitter_local_pct,jitter_local_abs_us,jitter_rap_pct,jitter_ppq5_pct,jitter_ddp_pct,shimmer_local_pct,shimmer_local_db,shimmer_apq3_pct,shimmer_apq5_pct,shimmer_apq11_pct,shimmer_dda_pct,hnr_db"
endif
row$ = name$ + "," + string$ (fs) + "," + fixed$ (dur, 6) + "," + string$ (nFrames) + "," + fixed$ (dt, 9) + "," + fixed$ (t1, 9) + "," + string$ (nVoiced)
@num: f0mean, 1
@num: f0sd, 1
@num: f0median, 1
@num: f0min, 1
@num: f0max, 1
row$ = row$ + "," + string$ (nPulses)
@num: jLocal, 100
@num: jAbs, 1000000
@num: jRap, 100
@num: jPpq5, 100
@num: jDdp, 100
@num: sLocal, 100
@num: sDb, 1
@num: sApq3, 100
@num: sApq5, 100
@num: sApq11, 100
@num: sDda, 100
@num: hnr, 1
appendFileLine: csv$, row$

procedure num: .x, .scale
	if .x = undefined
		row$ = row$ + ",NaN"
	else
		row$ = row$ + "," + fixed$ (.x * .scale, 6)
	endif
endproc
