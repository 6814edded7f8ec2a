using NAudio.Codecs;
using NAudio.Wave;

namespace AcousticCore.Tests.Identification;

/// <summary>
/// The committed held-out test voices (Data/testset, made by Data/make_testset.sh): 8 espeak-ng and
/// 2 flite voices, none in the background model, 3 enrolment and 2 test sentences each (different text),
/// 8 kHz mu-law.
/// </summary>
internal static class SpeakerTestSet
{
    public const int SampleRate = 8000;

    public static string Root => Path.Combine(AppContext.BaseDirectory, "Identification", "Data", "testset");

    public static string[] Speakers() =>
        File.ReadAllLines(Path.Combine(Root, "speakers.txt")).Where(l => l.Length > 0).ToArray();

    public static float[][] Clips(string speaker, string kind) =>
        Directory.GetFiles(Path.Combine(Root, speaker), kind + "_*.wav").Order(StringComparer.Ordinal).Select(ReadMuLaw).ToArray();

    public static float[] ReadMuLaw(string path)
    {
        using var reader = new WaveFileReader(path);
        if (reader.WaveFormat.Encoding != WaveFormatEncoding.MuLaw || reader.WaveFormat.Channels != 1 || reader.WaveFormat.SampleRate != SampleRate)
        {
            throw new InvalidDataException($"{path}: expected 8 kHz mono mu-law, got {reader.WaveFormat}");
        }

        var bytes = new byte[reader.Length];
        int read = reader.Read(bytes, 0, bytes.Length);
        var samples = new float[read];
        for (int i = 0; i < read; i++) samples[i] = MuLawDecoder.MuLawToLinearSample(bytes[i]) / 32768f;
        return samples;
    }
}
