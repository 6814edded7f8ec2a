namespace AcousticCore.Features;

/// <summary>Spectral and temporal descriptors of one frame (see <see cref="SpectralDescriptorCalculator"/>).</summary>
public struct SpectralDescriptorValues
{
    /// <summary>Power-weighted mean frequency, Hz.</summary>
    public double CentroidHz { get; set; }
    /// <summary>Power-weighted standard deviation of frequency around the centroid, Hz.</summary>
    public double SpreadHz { get; set; }
    /// <summary>Geometric over arithmetic mean of the power spectrum, 0..1 (white noise ≈ e^−γ ≈ 0.56 for a periodogram).</summary>
    public double Flatness { get; set; }
    /// <summary>Frequency below which 85 % of the power lies, Hz.</summary>
    public double RolloffHz { get; set; }
    /// <summary>L2 distance between this and the previous frame's unit-norm magnitude spectra, 0..√2; NaN on the first frame.</summary>
    public double Flux { get; set; }
    /// <summary>Maximum over mean of the power spectrum (≥ 1).</summary>
    public double Crest { get; set; }
    /// <summary>Least-squares slope of the magnitude spectrum against frequency divided by the summed magnitude (Peeters 2004), 1/Hz.</summary>
    public double Slope { get; set; }
    /// <summary>Fraction of adjacent sample pairs in the frame whose signs differ (crossings per sample).</summary>
    public double ZeroCrossingRate { get; set; }
    /// <summary>Mean square of the unwindowed frame (linear, full scale sine = 0.5).</summary>
    public double MeanSquare { get; set; }
}

/// <summary>
/// Computes the spectral descriptor set of a frame from its shared power spectrum. Bins 1..N/2 are
/// used (DC excluded, so an offset does not pull the centroid to 0 Hz).
/// </summary>
/// <remarks>Allocation-free per frame; holds the previous magnitude spectrum for the flux.</remarks>
public sealed class SpectralDescriptorCalculator
{
    /// <summary>Fraction of power below the roll-off frequency.</summary>
    public const double RolloffFraction = 0.85;

    private readonly float[] _previousMagnitude;
    private bool _hasPrevious;

    /// <summary>Creates a calculator for frames of <paramref name="frameSize"/> samples.</summary>
    public SpectralDescriptorCalculator(int frameSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameSize, 4);
        _previousMagnitude = new float[frameSize / 2 + 1];
    }

    /// <summary>Forgets the previous frame (the next flux is NaN).</summary>
    public void Reset() => _hasPrevious = false;

    /// <summary>Computes the descriptors of one frame.</summary>
    /// <param name="samples">Unwindowed frame samples (for zero crossings and mean square).</param>
    /// <param name="power">One-sided power spectrum, bins 0..N/2.</param>
    /// <param name="binHz">Bin spacing in Hz.</param>
    /// <param name="result">Receives the values.</param>
    public void Compute(ReadOnlySpan<float> samples, ReadOnlySpan<float> power, double binHz, out SpectralDescriptorValues result)
    {
        result = default;
        int bins = power.Length;
        double sumP = 0, sumFP = 0, sumLog = 0, maxP = 0;
        double sumA = 0, sumFA = 0, sumF = 0, sumFF = 0, sumA2 = 0;
        int count = bins - 1;
        const double floor = 1e-30; // keeps log() finite on digital silence
        for (int k = 1; k < bins; k++)
        {
            double p = power[k];
            double f = k * binHz;
            double a = Math.Sqrt(p);
            sumP += p;
            sumFP += f * p;
            sumLog += Math.Log(p + floor);
            if (p > maxP) maxP = p;
            sumA += a;
            sumA2 += p;
            sumFA += f * a;
            sumF += f;
            sumFF += f * f;
        }

        if (sumP > 0)
        {
            double centroid = sumFP / sumP;
            double spread = 0;
            double cumulative = 0, target = RolloffFraction * sumP, rolloff = (bins - 1) * binHz;
            bool rolled = false;
            for (int k = 1; k < bins; k++)
            {
                double p = power[k];
                double d = k * binHz - centroid;
                spread += d * d * p;
                cumulative += p;
                if (!rolled && cumulative >= target)
                {
                    rolloff = k * binHz;
                    rolled = true;
                }
            }

            double mean = sumP / count;
            result.CentroidHz = centroid;
            result.SpreadHz = Math.Sqrt(spread / sumP);
            result.Flatness = Math.Exp(sumLog / count) / mean;
            result.RolloffHz = rolloff;
            result.Crest = maxP / mean;
            double denominator = count * sumFF - sumF * sumF;
            result.Slope = denominator > 0 ? (count * sumFA - sumF * sumA) / denominator / sumA : 0;
        }
        else
        {
            result.CentroidHz = double.NaN;
            result.SpreadHz = double.NaN;
            result.Flatness = double.NaN;
            result.RolloffHz = double.NaN;
            result.Crest = double.NaN;
            result.Slope = double.NaN;
        }

        // Flux between unit-norm magnitude spectra: level changes alone do not count as flux.
        double norm = sumA2 > 0 ? 1.0 / Math.Sqrt(sumA2) : 0;
        double flux = 0;
        for (int k = 1; k < bins; k++)
        {
            float a = (float)(Math.Sqrt(power[k]) * norm);
            double d = a - _previousMagnitude[k];
            flux += d * d;
            _previousMagnitude[k] = a;
        }

        result.Flux = _hasPrevious ? Math.Sqrt(flux) : double.NaN;
        _hasPrevious = true;

        int crossings = 0;
        double sumSquares = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            float x = samples[i];
            sumSquares += (double)x * x;
            if (i > 0 && (x >= 0) != (samples[i - 1] >= 0)) crossings++;
        }

        result.ZeroCrossingRate = samples.Length > 1 ? (double)crossings / (samples.Length - 1) : 0;
        result.MeanSquare = samples.Length > 0 ? sumSquares / samples.Length : 0;
    }
}
