namespace AcousticCore.Features;

/// <summary>
/// Settings of <see cref="MfccExtractor"/>; each value is validated when set.
/// </summary>
/// <remarks>
/// Defaults follow HTK: 26 filters from 0 Hz to Nyquist with unit-peak triangles, 13 cepstral
/// coefficients c0..c12, sinusoidal liftering with L = 22, natural log with a floor of 1e-10.
/// </remarks>
public sealed class MfccOptions
{
    private readonly int _filterCount = 26;
    private readonly int _coefficientCount = 13;
    private readonly double _lowFrequencyHz;
    private readonly double? _highFrequencyHz;
    private readonly int _lifter = 22;
    private readonly float _logFloor = 1e-10f;
    private readonly MelFilterNormalization _normalization = MelFilterNormalization.UnitPeak;

    /// <summary>Number of mel filters (1–256). Default 26.</summary>
    public int FilterCount
    {
        get => _filterCount;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(FilterCount));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 256, nameof(FilterCount));
            _filterCount = value;
        }
    }

    /// <summary>Number of cepstral coefficients c0..c(n−1) written per frame (1–FilterCount). Default 13.</summary>
    public int CoefficientCount
    {
        get => _coefficientCount;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(CoefficientCount));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 256, nameof(CoefficientCount));
            _coefficientCount = value;
        }
    }

    /// <summary>Lower edge of the first mel filter in Hz (≥ 0). Default 0.</summary>
    public double LowFrequencyHz
    {
        get => _lowFrequencyHz;
        init
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(LowFrequencyHz), value, "Must be finite and ≥ 0 Hz.");
            }

            _lowFrequencyHz = value;
        }
    }

    /// <summary>Upper edge of the last mel filter in Hz; null means the Nyquist frequency. Default null.</summary>
    public double? HighFrequencyHz
    {
        get => _highFrequencyHz;
        init
        {
            if (value is double v && (!double.IsFinite(v) || v <= 0))
            {
                throw new ArgumentOutOfRangeException(nameof(HighFrequencyHz), value, "Must be finite and > 0 Hz.");
            }

            _highFrequencyHz = value;
        }
    }

    /// <summary>Sinusoidal lifter length L: c_n · (1 + L/2 · sin(πn/L)); 0 disables liftering. Default 22.</summary>
    public int Lifter
    {
        get => _lifter;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Lifter));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1000, nameof(Lifter));
            _lifter = value;
        }
    }

    /// <summary>Filter energies below this floor are clamped before the log (> 0). Default 1e-10.</summary>
    public float LogFloor
    {
        get => _logFloor;
        init
        {
            if (!float.IsFinite(value) || value <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(LogFloor), value, "Must be finite and > 0.");
            }

            _logFloor = value;
        }
    }

    /// <summary>Peak or area normalisation of the mel triangles. Default <see cref="MelFilterNormalization.UnitPeak"/>.</summary>
    public MelFilterNormalization Normalization
    {
        get => _normalization;
        init
        {
            if (value is not (MelFilterNormalization.UnitPeak or MelFilterNormalization.UnitArea))
            {
                throw new ArgumentOutOfRangeException(nameof(Normalization), value, "Unknown normalisation.");
            }

            _normalization = value;
        }
    }
}
