using AcousticCore.Dsp;

namespace AcousticCore.Levels;

/// <summary>
/// A one-channel sound level meter in the manner of IEC 61672-1: A, C and Z weighted Leq, the
/// A-weighted Fast level's maximum, minimum and percentiles, the C-weighted peak, and Z-weighted
/// one-third-octave band levels (IEC 61260-1), per interval and over the whole stream.
/// </summary>
/// <remarks>
/// Levels are dB re full scale in the AES17 convention — the reference mean square is 0.5, that of a
/// full-scale sine, so such a sine reads 0 dB — plus <see cref="SoundLevelMeterOptions.CalibrationOffsetDb"/>.
/// The Fast level is computed at every sample; LAFmax and LAFmin are taken over every sample, except
/// that LAFmin ignores the first 5 Fast time constants (0.625 s) of the stream, while the detector
/// rises from zero. LA10/LA50/LA90 come from the Fast level sampled every 10 ms of stream time (at
/// sample ⌈k·fs/100⌉) after the same warm-up, kept in a 0.01 dB histogram (fixed 240 KB).
/// Non-finite samples (NaN, ±∞) are counted in <see cref="NonFiniteSampleCount"/> and measured as 0
/// so one bad sample cannot poison the filters. Results do not depend on how the stream is split
/// into <see cref="Process"/> calls. Not thread-safe: one meter per channel. Process,
/// CompleteInterval and GetSummary allocate nothing. A one-channel <see cref="MultiChannelSoundLevelMeter"/>:
/// a channel measured here reads bit for bit what it reads inside a multi-channel stream.
/// </remarks>
public sealed class SoundLevelMeter
{
    private readonly MultiChannelSoundLevelMeter _meter;

    /// <summary>Creates a meter for a stream at <paramref name="sampleRate"/> Hz (8000–192000).</summary>
    public SoundLevelMeter(int sampleRate, SoundLevelMeterOptions? options = null)
    {
        _meter = new MultiChannelSoundLevelMeter(sampleRate, 1, options);
    }

    /// <summary>Sample rate in Hz of the stream.</summary>
    public int SampleRate => _meter.SampleRate;

    /// <summary>The one-third-octave bands measured (empty when bands are off), the order of <see cref="LevelValues.BandLeqDb"/>.</summary>
    public IReadOnlyList<ThirdOctaveBand> Bands => _meter.Bands;

    /// <summary>Samples that were NaN or infinite and were measured as 0.</summary>
    public long NonFiniteSampleCount => _meter.NonFiniteSampleCount(0);

    /// <summary>Samples processed since construction.</summary>
    public long SampleCount => _meter.SampleCount;

    /// <summary>Measures the next samples of the channel (full scale ±1); any length, including 0.</summary>
    public void Process(ReadOnlySpan<float> samples) => _meter.Process(samples);

    /// <summary>
    /// Fills <paramref name="destination"/> with the levels of the samples since the previous call
    /// (or since construction), then starts a new interval. Percentile levels are NaN.
    /// </summary>
    public void CompleteInterval(LevelValues destination) => _meter.CompleteInterval(0, destination);

    /// <summary>Fills <paramref name="destination"/> with the levels of the whole stream so far, including LA10/LA50/LA90.</summary>
    /// <remarks>Does not close the current interval.</remarks>
    public void GetSummary(LevelValues destination) => _meter.GetSummary(0, destination);
}
