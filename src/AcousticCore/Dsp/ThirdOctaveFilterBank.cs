namespace AcousticCore.Dsp;

/// <summary>
/// A bank of IEC 61260-1 class-1 one-third-octave filters (25 Hz up to the highest band below
/// Nyquist) that accumulates the mean square of every band's output.
/// </summary>
/// <remarks>
/// Each band is a 4th-order Butterworth band-pass (8 poles, −3.01 dB at the band edges) designed by
/// NWaves with pre-warped edges. Order 3 would meet the class-1 limits for bands far below Nyquist,
/// but the bilinear transform flattens the lower skirt of bands near Nyquist (of the input or of a
/// decimated stage) below the G^−1…G^−4 limits; order 4 meets them for every band. To keep the cost about constant per input sample and the low
/// bands numerically well conditioned, the signal is decimated octave by octave: stage 0 runs at the
/// input rate and holds the bands whose upper edge is above fs/8; every further stage runs at half
/// the previous rate behind an 8th-order elliptic anti-alias low-pass (NWaves; passband to 0.13
/// of the faster rate, ripple 0.002 dB, 90 dB stop band) and holds the one octave of bands whose upper
/// edge lies between a sixteenth and an eighth of the faster rate, so aliases land at least an
/// octave above them. The filters of one stage (its bands and its anti-alias low-pass) run side by
/// side in the lanes of one 8-lane vector in single precision; squared outputs are summed in single
/// precision over fixed 512-sample blocks and the block sums in double.
/// (Inside a multi-channel meter the channels take the lanes instead, with bit-identical results.)
/// Not thread-safe: one instance per channel. <see cref="Process(ReadOnlySpan{float})"/> allocates nothing.
/// </remarks>
public sealed class ThirdOctaveFilterBank
{
    private readonly ThirdOctaveBankCore _core;

    /// <summary>Designs the bank for <paramref name="sampleRate"/> Hz (8000–192000).</summary>
    public ThirdOctaveFilterBank(int sampleRate)
    {
        SampleRates.Validate(sampleRate, nameof(sampleRate));
        SampleRate = sampleRate;
        _core = new ThirdOctaveBankCore(sampleRate, 1);
    }

    /// <summary>Sample rate in Hz of the input.</summary>
    public int SampleRate { get; }

    /// <summary>The bands, lowest first; the order of every per-band output.</summary>
    public IReadOnlyList<ThirdOctaveBand> Bands => _core.Bands;

    /// <summary>Number of decimation stages (diagnostics).</summary>
    internal int StageCount => _core.Plan.Count;

    /// <summary>Filters <paramref name="samples"/> (full scale ±1) and adds each band's squared output to its accumulator.</summary>
    public void Process(ReadOnlySpan<float> samples) => _core.Process(samples);

    /// <summary>
    /// Writes each band's sum of squared outputs and its number of (decimated) samples since the
    /// last call, then clears the accumulators. Mean square = sum / count.
    /// </summary>
    public void CollectEnergy(Span<double> sumSquares, Span<long> sampleCounts) => _core.CollectEnergy(0, sumSquares, sampleCounts);

    /// <summary>Clears all filter state and accumulators.</summary>
    public void Reset() => _core.Reset();

    /// <summary>
    /// Designed magnitude response in dB of band <paramref name="band"/> at <paramref name="frequencyHz"/>,
    /// including the anti-alias filters in front of its stage (aliasing itself not included).
    /// </summary>
    public double ResponseDb(int band, double frequencyHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(band);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(band, Bands.Count);
        double db = 0;
        foreach (var stage in _core.Plan)
        {
            for (int f = 0; f < stage.BandIndices.Count; f++)
            {
                if (stage.BandIndices[f] == band)
                {
                    return db + BiquadSection.CascadeResponseDb(stage.Filters[f], frequencyHz, stage.Rate);
                }
            }

            db += BiquadSection.CascadeResponseDb(stage.Filters[stage.AntiAliasFilter], frequencyHz, stage.Rate);
        }

        throw new InvalidOperationException("Band not assigned to a stage.");
    }
}
