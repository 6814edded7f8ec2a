namespace AcousticCore.Voice;

/// <summary>Settings of <see cref="VoiceAnalyzer"/>; defaults reproduce Praat's voice report.</summary>
public sealed class VoiceAnalysisOptions
{
    /// <summary>The voice-report defaults.</summary>
    public static VoiceAnalysisOptions Default { get; } = new();

    /// <summary>Pitch analysis settings (default: To Pitch (cc) with voice-report settings).</summary>
    public PitchOptions Pitch { get; init; } = PitchOptions.VoiceReport;

    /// <summary>Jitter/shimmer period and amplitude rules (default 0.0001 s, 0.02 s, 1.3, 1.6).</summary>
    public PerturbationOptions Perturbation { get; init; } = PerturbationOptions.VoiceReport;
}

/// <summary>Everything measured on one sound: contours, pulses, and features per voiced segment and for the whole sound.</summary>
public sealed class VoiceAnalysis
{
    internal VoiceAnalysis(PitchContour pitch, double[] pulses, HarmonicityContour harmonicity, VoiceFeatures summary, VoiceFeatures[] segments)
    {
        Pitch = pitch;
        _pulses = pulses;
        Harmonicity = harmonicity;
        Summary = summary;
        Segments = segments;
    }

    private readonly double[] _pulses;

    /// <summary>The F0 contour (To Pitch (cc)).</summary>
    public PitchContour Pitch { get; }

    /// <summary>Glottal pulse times, seconds (To PointProcess (cc)).</summary>
    public ReadOnlySpan<double> Pulses => _pulses;

    /// <summary>The HNR contour (To Harmonicity (cc)).</summary>
    public HarmonicityContour Harmonicity { get; }

    /// <summary>Features of the whole sound.</summary>
    public VoiceFeatures Summary { get; }

    /// <summary>Features of each voiced segment (a run of voiced pitch frames), in time order.</summary>
    public IReadOnlyList<VoiceFeatures> Segments { get; }
}

/// <summary>
/// Computes Praat-compatible voice measures (F0, jitter, shimmer, HNR) and eGeMAPS-style descriptors per voiced segment and per
/// sound. These describe the signal; they are not truth, threat or emotion scores.
/// </summary>
public static class VoiceAnalyzer
{
    /// <summary>Semitone reference frequency (27.5 Hz, the note A0), as in eGeMAPS.</summary>
    public const double SemitoneReferenceHz = 27.5;

    /// <summary>Contour wobble below this RMS (semitones) is not counted as F0 tremor: the relative energy is taken against at least this.</summary>
    public const double TremorFloorSemitones = 0.02;

    /// <summary>Envelope wobble below this RMS (dB) is not counted as amplitude tremor.</summary>
    public const double TremorFloorDb = 0.1;

    /// <summary>Longest recording <see cref="Analyze(AcousticCore.Audio.IAudioSource, VoiceAnalysisOptions?, double)"/> accepts by default, seconds.</summary>
    public const double DefaultMaxSeconds = 600;

    /// <summary>
    /// Reads a source to its end, averaging its channels to mono, and analyses it. The whole sound is held (the pitch path is
    /// optimal over the whole sound), so input longer than <paramref name="maxSeconds"/> is refused.
    /// </summary>
    /// <exception cref="AcousticCore.Audio.AudioDataException">The source is longer than <paramref name="maxSeconds"/> or its data is bad.</exception>
    public static VoiceAnalysis Analyze(AcousticCore.Audio.IAudioSource source, VoiceAnalysisOptions? options = null, double maxSeconds = DefaultMaxSeconds)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!(maxSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(maxSeconds), maxSeconds, "Must be positive.");
        var mono = ReadMono(source, maxSeconds);
        return Analyze(mono, source.Format.SampleRate, options);
    }

    /// <summary>Reads a source to its end and averages its channels to mono; refuses more than <paramref name="maxSeconds"/>.</summary>
    /// <exception cref="AcousticCore.Audio.AudioDataException">The source is longer than <paramref name="maxSeconds"/>.</exception>
    public static float[] ReadMono(AcousticCore.Audio.IAudioSource source, double maxSeconds = DefaultMaxSeconds)
    {
        ArgumentNullException.ThrowIfNull(source);
        int channels = source.Format.Channels;
        int rate = source.Format.SampleRate;
        long maxFrames = (long)(maxSeconds * rate);
        var mono = new List<float>((int)Math.Min(maxFrames + 1, rate * 10L));
        var buffer = new float[4096 * channels];
        int n;
        while ((n = source.Read(buffer)) > 0)
        {
            for (int i = 0; i + channels <= n; i += channels)
            {
                float sum = 0;
                for (int c = 0; c < channels; c++) sum += buffer[i + c];
                mono.Add(sum / channels);
            }

            if (mono.Count > maxFrames)
            {
                throw new AcousticCore.Audio.AudioDataException(source.Name,
                    $"longer than {maxSeconds:0.###} s; split the recording (voice analysis holds the whole sound in memory)");
            }
        }

        return mono.ToArray();
    }

    /// <summary>Analyses a whole mono sound. Never throws on content (silence, noise, clipping, very short input give NaN with a note).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sample rate is outside 1 Hz–1 MHz.</exception>
    public static VoiceAnalysis Analyze(ReadOnlySpan<float> samples, int sampleRate, VoiceAnalysisOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, 1_000_000);
        var o = options ?? VoiceAnalysisOptions.Default;
        var z = new double[samples.Length];
        for (int i = 0; i < z.Length; i++) z[i] = float.IsFinite(samples[i]) ? samples[i] : 0.0;
        double fs = sampleRate;
        double duration = z.Length / fs;

        var pitch = PitchAnalyzer.Analyze(z, fs, o.Pitch);
        var pulses = GlottalPulses.Detect(z, fs, pitch);
        var hnr = Voice.Harmonicity.Analyze(z, fs, Voice.Harmonicity.DefaultTimeStepSeconds, o.Pitch.FloorHz, Voice.Harmonicity.DefaultSilenceThreshold);
        var spectral = SpectralVoiceFeatures.Compute(z, fs);
        var teo = ModulationFeatures.TeoCbAutoEnv(z, fs, out double[] teoTimes, t => VoicedAt(pitch, t)); // only voiced frames are averaged
        var envelopeDb = AmplitudeEnvelopeDb(z, fs, pitch, o.Pitch.FloorHz);
        var sound = new SoundView(z, fs);

        var runs = new List<(int First, int Last)>();
        for (int i = 0; i < pitch.FrameCount; i++)
        {
            if (!pitch.IsVoiced(i)) continue;
            int j = i;
            while (j + 1 < pitch.FrameCount && pitch.IsVoiced(j + 1)) j++;
            runs.Add((i, j));
            i = j;
        }

        var context = new Context(o, pitch, pulses, hnr, spectral, teo, teoTimes, envelopeDb, sound);
        var segments = new VoiceFeatures[runs.Count];
        for (int s = 0; s < runs.Count; s++)
        {
            double t0 = pitch.TimeOfFrame(runs[s].First) - 0.5 * pitch.TimeStepSeconds;
            double t1 = pitch.TimeOfFrame(runs[s].Last) + 0.5 * pitch.TimeStepSeconds;
            segments[s] = Measure(context, Math.Max(0, t0), Math.Min(duration, t1), runs.GetRange(s, 1), wholeSound: false);
        }

        string note = "";
        if (pitch.FrameCount == 0)
        {
            note = z.Length == 0
                ? "empty sound"
                : $"sound too short for pitch analysis ({duration:0.###} s; needs more than {2.0 / o.Pitch.FloorHz:0.####} s)";
        }
        else if (runs.Count == 0)
        {
            note = "no voiced frames (silence, noise or unvoiced sound)";
        }

        var summary = Measure(context, 0, duration, runs, wholeSound: true, note);
        return new VoiceAnalysis(pitch, pulses, hnr, summary, segments);
    }

    private sealed record Context(VoiceAnalysisOptions Options, PitchContour Pitch, double[] Pulses, HarmonicityContour Hnr,
        SpectralVoiceFeatures Spectral, double[][] Teo, double[] TeoTimes, double[] EnvelopeDb, SoundView Sound);

    private static VoiceFeatures Measure(Context c, double t0, double t1, List<(int First, int Last)> runs, bool wholeSound, string note = "")
    {
        var p = c.Pitch;
        var hz = new List<double>();
        var segLengths = new List<double>();
        double rising = 0, falling = 0;
        int nRising = 0, nFalling = 0;
        double tremorF0Band = 0, tremorF0Total = 0, tremorF0Floor = 0, tremorAmpBand = 0, tremorAmpTotal = 0, tremorAmpFloor = 0;
        foreach (var (first, last) in runs)
        {
            int n = last - first + 1;
            segLengths.Add(n * p.TimeStepSeconds);
            var st = new double[n];
            var env = new double[n];
            for (int i = 0; i < n; i++)
            {
                double f = p.FrequenciesHz[first + i];
                hz.Add(f);
                st[i] = 12 * Math.Log2(f / SemitoneReferenceHz);
                env[i] = c.EnvelopeDb[first + i];
            }

            Slopes(st, p.TimeStepSeconds, ref rising, ref nRising, ref falling, ref nFalling);
            ModulationFeatures.AccumulateTremor(st, p.TimeStepSeconds, TremorFloorSemitones, ref tremorF0Band, ref tremorF0Total, ref tremorF0Floor);
            ModulationFeatures.AccumulateTremor(env, p.TimeStepSeconds, TremorFloorDb, ref tremorAmpBand, ref tremorAmpTotal, ref tremorAmpFloor);
        }

        double duration = t1 - t0;
        double voicedDuration = hz.Count * p.TimeStepSeconds;
        // jitter/shimmer over the pulses inside the range (whole sound: all pulses, as Praat's 0, 0 range)
        double jt0 = wholeSound ? 0 : t0, jt1 = wholeSound ? 0 : t1;
        var (firstPulse, lastPulse) = Perturbation.Window(c.Pulses, jt0, jt1);
        int pulseCount = Math.Max(0, lastPulse - firstPulse + 1);
        var jitter = Perturbation.Jitter(c.Pulses, c.Options.Perturbation, jt0, jt1);
        var shimmer = Perturbation.Shimmer(c.Sound, c.Pulses, c.Options.Perturbation, jt0, jt1);
        double hnr = wholeSound ? c.Hnr.MeanDb() : c.Hnr.MeanDb(t0, t1);

        // spectral functionals: loudness over all frames, the rest over voiced frames
        var s = c.Spectral;
        double loud = 0, alpha = 0, ham = 0, sl0 = 0, sl1 = 0;
        int nLoud = 0, nAlpha = 0, nHam = 0, nSl0 = 0, nSl1 = 0;
        for (int f = 0; f < s.Times.Length; f++)
        {
            double t = s.Times[f];
            if (t < t0 || t > t1) continue;
            loud += s.Loudness[f];
            nLoud++;
            if (!VoicedAt(p, t)) continue;
            Add(s.AlphaRatioDb[f], ref alpha, ref nAlpha);
            Add(s.HammarbergDb[f], ref ham, ref nHam);
            Add(s.Slope0To500[f], ref sl0, ref nSl0);
            Add(s.Slope500To1500[f], ref sl1, ref nSl1);
        }

        var teo = new double[c.Teo.Length];
        for (int b = 0; b < teo.Length; b++)
        {
            double sum = 0;
            int n = 0;
            for (int f = 0; f < c.TeoTimes.Length; f++)
            {
                double t = c.TeoTimes[f];
                if (t < t0 || t > t1 || !VoicedAt(p, t)) continue;
                Add(c.Teo[b][f], ref sum, ref n);
            }

            teo[b] = n > 0 ? sum / n : double.NaN;
        }

        hz.Sort();
        var stSorted = new double[hz.Count];
        for (int i = 0; i < hz.Count; i++) stSorted[i] = 12 * Math.Log2(hz[i] / SemitoneReferenceHz);
        double p20 = Quantile(stSorted, 0.2), p80 = Quantile(stSorted, 0.8);
        return new VoiceFeatures
        {
            StartSeconds = t0,
            DurationSeconds = duration,
            VoicedDurationSeconds = voicedDuration,
            Note = note,
            F0MeanHz = Mean(hz),
            F0SdHz = Sd(hz),
            F0MinHz = hz.Count > 0 ? hz[0] : double.NaN,
            F0MaxHz = hz.Count > 0 ? hz[^1] : double.NaN,
            F0MedianHz = Quantile(hz.ToArray(), 0.5),
            F0MeanSemitones = Mean(stSorted),
            F0SdSemitones = Sd(stSorted),
            F0P20Semitones = p20,
            F0P50Semitones = Quantile(stSorted, 0.5),
            F0P80Semitones = p80,
            F0RangeSemitones = p80 - p20,
            F0RisingSlopeSemitonesPerSecond = nRising > 0 ? rising / nRising : double.NaN,
            F0FallingSlopeSemitonesPerSecond = nFalling > 0 ? falling / nFalling : double.NaN,
            PulseCount = pulseCount,
            Jitter = jitter,
            Shimmer = shimmer,
            HnrDb = hnr,
            LoudnessAu = nLoud > 0 ? loud / nLoud : double.NaN,
            AlphaRatioDb = nAlpha > 0 ? alpha / nAlpha : double.NaN,
            HammarbergIndexDb = nHam > 0 ? ham / nHam : double.NaN,
            SpectralSlope0To500 = nSl0 > 0 ? sl0 / nSl0 : double.NaN,
            SpectralSlope500To1500 = nSl1 > 0 ? sl1 / nSl1 : double.NaN,
            VoicedSegmentsPerSecond = duration > 0 ? runs.Count / duration : double.NaN,
            VoicedSegmentMeanSeconds = Mean(segLengths),
            VoicedSegmentSdSeconds = Sd(segLengths),
            F0TremorRelativeEnergy = tremorF0Floor > 0 ? tremorF0Band / Math.Max(tremorF0Total, tremorF0Floor) : double.NaN,
            AmplitudeTremorRelativeEnergy = tremorAmpFloor > 0 ? tremorAmpBand / Math.Max(tremorAmpTotal, tremorAmpFloor) : double.NaN,
            TeoCbAutoEnv = teo,
        };
    }

    private static void Add(double v, ref double sum, ref int n)
    {
        if (double.IsNaN(v)) return;
        sum += v;
        n++;
    }

    private static bool VoicedAt(PitchContour p, double t)
    {
        if (p.FrameCount == 0) return false;
        int i = (int)Math.Round((t - p.FirstFrameTimeSeconds) / p.TimeStepSeconds);
        return i >= 0 && i < p.FrameCount && p.IsVoiced(i);
    }

    /// <summary>
    /// Rising/falling slopes: the semitone contour of a run is smoothed by a 3-frame moving average, split into maximal
    /// monotone stretches, and each stretch contributes (end − start) / its duration.
    /// </summary>
    internal static void Slopes(ReadOnlySpan<double> st, double dt, ref double rising, ref int nRising, ref double falling, ref int nFalling)
    {
        int n = st.Length;
        if (n < 3) return;
        var sm = new double[n];
        for (int i = 0; i < n; i++)
        {
            int a = Math.Max(0, i - 1), b = Math.Min(n - 1, i + 1);
            double sum = 0;
            for (int k = a; k <= b; k++) sum += st[k];
            sm[i] = sum / (b - a + 1);
        }

        int start = 0;
        while (start < n - 1)
        {
            int dir = Math.Sign(sm[start + 1] - sm[start]);
            int end = start + 1;
            while (end < n - 1 && Math.Sign(sm[end + 1] - sm[end]) == dir) end++;
            double slope = (sm[end] - sm[start]) / ((end - start) * dt);
            if (dir > 0) { rising += slope; nRising++; }
            else if (dir < 0) { falling += slope; nFalling++; }
            start = end;
        }
    }

    /// <summary>Level (dB re full scale) of the sound under a Hann window of one floor period around each pitch frame.</summary>
    private static double[] AmplitudeEnvelopeDb(double[] z, double fs, PitchContour pitch, double floorHz)
    {
        var db = new double[pitch.FrameCount];
        int half = Math.Max(1, (int)Math.Round(0.5 * fs / floorHz));
        // the Hann window is the same for every frame: computed once
        var window = new double[2 * half + 1];
        for (int k = -half; k <= half; k++) window[k + half] = 0.5 + 0.5 * Math.Cos(Math.PI * k / (half + 1));
        for (int f = 0; f < db.Length; f++)
        {
            int centre = (int)Math.Floor(pitch.TimeOfFrame(f) * fs);
            double sum = 0, wsum = 0;
            for (int i = Math.Max(0, centre - half); i <= centre + half && i < z.Length; i++)
            {
                double w = window[i - centre + half];
                sum += w * z[i] * z[i];
                wsum += w;
            }

            db[f] = 10 * Math.Log10(Math.Max(wsum > 0 ? sum / wsum : 0, 1e-20));
        }

        return db;
    }

    private static double Mean(IReadOnlyList<double> v)
    {
        if (v.Count == 0) return double.NaN;
        double s = 0;
        foreach (double x in v) s += x;
        return s / v.Count;
    }

    private static double Sd(IReadOnlyList<double> v)
    {
        if (v.Count < 2) return double.NaN;
        double m = Mean(v), s = 0;
        foreach (double x in v) s += (x - m) * (x - m);
        return Math.Sqrt(s / (v.Count - 1));
    }

    /// <summary>Praat's quantile of sorted data: linear interpolation at place q·n + 0.5 (1-based).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        int n = sorted.Length;
        if (n == 0) return double.NaN;
        if (n == 1) return sorted[0];
        double place = q * n + 0.5;
        int left = (int)Math.Floor(place);
        if (left < 1) left = 1;
        if (left >= n) left = n - 1;
        return sorted[left] * (place - left) + sorted[left - 1] * (left + 1 - place);
    }
}
