namespace AcousticCore.Dsp;

/// <summary>Frequency weightings of IEC 61672-1 (sound level meters).</summary>
public enum FrequencyWeighting
{
    /// <summary>Z (zero) weighting: flat, the signal unchanged.</summary>
    Z = 0,

    /// <summary>A weighting: approximates the ear at moderate levels; four poles 20.6 Hz ×2, 107.7 Hz, 737.9 Hz, 12194 Hz ×2.</summary>
    A = 1,

    /// <summary>C weighting: flat between the 20.6 Hz and 12194 Hz double poles.</summary>
    C = 2,
}
