namespace AcousticCore.Audio;

/// <summary>Sample rate and channel count of a decoded stream (samples are float, full scale ±1).</summary>
public sealed record AudioFormat
{
    /// <summary>Largest channel count accepted from any header or option.</summary>
    public const int MaxChannels = 64;
    /// <summary>Lowest sample rate accepted, in Hz.</summary>
    public const int MinSampleRate = 8_000;
    /// <summary>Highest sample rate accepted, in Hz.</summary>
    public const int MaxSampleRate = 192_000;

    /// <summary>Creates a format after checking the rate and channel limits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Rate or channel count outside the supported range.</exception>
    public AudioFormat(int sampleRate, int channels)
    {
        if (sampleRate < MinSampleRate || sampleRate > MaxSampleRate)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate,
                $"Sample rate must be {MinSampleRate}..{MaxSampleRate} Hz.");
        }

        if (channels < 1 || channels > MaxChannels)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels,
                $"Channel count must be 1..{MaxChannels}.");
        }

        SampleRate = sampleRate;
        Channels = channels;
    }

    /// <summary>Samples per second per channel, in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Number of interleaved channels.</summary>
    public int Channels { get; }

    /// <summary>Checks rate and channel count without throwing.</summary>
    /// <returns>Null when valid, else a message naming the problem.</returns>
    public static string? Validate(long sampleRate, long channels)
    {
        if (channels < 1) return $"channel count {channels} (must be at least 1)";
        if (channels > MaxChannels) return $"channel count {channels} (at most {MaxChannels} supported)";
        if (sampleRate < MinSampleRate || sampleRate > MaxSampleRate)
            return $"sample rate {sampleRate} Hz (supported: {MinSampleRate}..{MaxSampleRate} Hz)";
        return null;
    }
}
