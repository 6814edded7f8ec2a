using AcousticCore.Voice;
using BenchmarkDotNet.Attributes;
using NAudio.Wave;

namespace AcousticCore.Benchmarks;

/// <summary>
/// Voice features for 60 s of TTS speech at 16 kHz: the committed 16 kHz TTS reference clips (espeak-ng, flite, festival voices,
/// male and female, see tests/AcousticCore.Tests/Voice/Reference) concatenated in <see cref="SpeechClips"/> order and repeated
/// up to 60 s. <c>VoiceBenchmarkPraat.sh</c> builds the same samples as a WAV with SoX and times Praat's voice report on it.
/// </summary>
/// <remarks>
/// Measured on the project machine (Xeon 2.3 GHz, AVX-512, 2 shared cores, load 5–9), --job short: PitchCc 210 ms,
/// VoiceReport 324 ms, AllFeatures 618 ms (wall). Praat 6.3.07 on the same samples (VoiceBenchmarkPraat.sh): voice-report
/// script 2.31–3.07 s user CPU, so VoiceReport (the same work) is about 8x faster and AllFeatures about 4x. See README.md, voice section.
/// </remarks>
[MemoryDiagnoser]
public class VoiceBenchmarks
{
    /// <summary>The clips, in concatenation order (all 16 kHz mono 16-bit).</summary>
    internal static readonly string[] SpeechClips =
        ["espeak_en_m_16k", "flite_slt_f_16k", "festival_kal_m_16k", "espeak_de_m_16k", "flite_rms_m_16k", "espeak_fr_f_16k"];

    private const int SampleRate = 16000;
    private float[] _speech = [];

    [GlobalSetup]
    public void Setup()
    {
        _speech = MakeSpeech(60);
        // sanity: the analysis must find speech in it (guards against a silent or mis-read file)
        var check = VoiceAnalyzer.Analyze(_speech, SampleRate).Summary;
        if (!(check.VoicedDurationSeconds > 20 && check.F0MeanHz is > 80 and < 250)) throw new InvalidOperationException("benchmark speech not as expected");
    }

    /// <summary>Pitch only: Praat's To Pitch (cc) with the voice-report settings.</summary>
    [Benchmark(Baseline = true)]
    public int PitchCc() => PitchAnalyzer.Analyze(_speech, SampleRate).VoicedFrameCount;

    /// <summary>What Praat's voice report computes: To Pitch (cc), To PointProcess (cc), jitter, shimmer, To Harmonicity (cc).</summary>
    [Benchmark]
    public double VoiceReport()
    {
        var pitch = PitchAnalyzer.Analyze(_speech, SampleRate);
        var pulses = GlottalPulses.Detect(_speech, SampleRate, pitch);
        var jitter = Perturbation.Jitter(pulses);
        var shimmer = Perturbation.Shimmer(_speech, SampleRate, pulses);
        var hnr = Harmonicity.Analyze(_speech, SampleRate).MeanDb();
        return jitter.Local + shimmer.Local + hnr;
    }

    /// <summary>The full voice feature set, as <c>acoustic voice features</c> computes it (adds the eGeMAPS-style set, tremor, TEO bands, segments).</summary>
    [Benchmark]
    public double AllFeatures() => VoiceAnalyzer.Analyze(_speech, SampleRate).Summary.F0MeanHz;

    /// <summary>The TTS clips concatenated and repeated to <paramref name="seconds"/> (the same samples SoX writes in VoiceBenchmarkPraat.sh).</summary>
    internal static float[] MakeSpeech(double seconds)
    {
        string dir = ReferenceDirectory();
        var clips = new List<float[]>();
        foreach (string name in SpeechClips)
        {
            using var reader = new WaveFileReader(Path.Combine(dir, name + ".wav"));
            if (reader.WaveFormat.SampleRate != SampleRate || reader.WaveFormat.Channels != 1) throw new InvalidOperationException(name + " is not 16 kHz mono");
            var provider = reader.ToSampleProvider();
            var samples = new float[reader.SampleCount];
            int n = provider.Read(samples.AsSpan());
            clips.Add(samples[..n]);
        }

        var x = new float[(int)(seconds * SampleRate)];
        for (int at = 0, c = 0; at < x.Length; c = (c + 1) % clips.Count)
        {
            int take = Math.Min(clips[c].Length, x.Length - at);
            Array.Copy(clips[c], 0, x, at, take);
            at += take;
        }

        return x;
    }

    private static string ReferenceDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "tests", "AcousticCore.Tests", "Voice", "Reference");
            if (Directory.Exists(candidate)) return candidate;
        }

        throw new DirectoryNotFoundException("tests/AcousticCore.Tests/Voice/Reference not found above " + AppContext.BaseDirectory);
    }
}
