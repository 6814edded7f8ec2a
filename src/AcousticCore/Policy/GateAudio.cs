using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AcousticCore.Audio;

namespace AcousticCore.Policy;

/// <summary>Reads a source into memory as mono (channel mean) with a length cap, hashing what it read. Nothing is written to disk.</summary>
internal static class GateAudio
{
    public sealed record Clip(float[] Mono, int SampleRate, string Sha256)
    {
        public double Seconds => (double)Mono.Length / SampleRate;
    }

    /// <exception cref="AudioDataException">Bad data, or longer than <paramref name="maxSeconds"/>.</exception>
    public static Clip Read(IAudioSource source, double maxSeconds)
    {
        ArgumentNullException.ThrowIfNull(source);
        int channels = source.Format.Channels;
        int rate = source.Format.SampleRate;
        long maxFrames = (long)(maxSeconds * rate);
        var mono = new List<float>(rate);
        var buffer = new float[4096 * channels];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (true)
        {
            int n = source.Read(buffer);
            if (n == 0) break;
            if (n < 0 || n > buffer.Length || n % channels != 0)
            {
                throw new AudioDataException(source.Name, $"source returned {n} samples, not whole frames");
            }

            hash.AppendData(MemoryMarshal.AsBytes(buffer.AsSpan(0, n)));
            for (int i = 0; i < n; i += channels)
            {
                float sum = 0;
                for (int c = 0; c < channels; c++) sum += buffer[i + c];
                mono.Add(sum / channels);
            }

            if (mono.Count > maxFrames)
            {
                throw new AudioDataException(source.Name, $"audio is longer than the policy limit of {maxSeconds} s");
            }
        }

        return new Clip(mono.ToArray(), rate, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
