namespace AcousticCore.Classification;

/// <summary>
/// Analysis-window settings of <see cref="WindowFeatureExtractor"/>; stored in every model file so a model
/// is always applied with the windows it was trained on. Validated when set.
/// </summary>
/// <remarks>
/// Everything else about the features (frame length, 10 ms frame hop, 8 kHz analysis bandwidth, bands,
/// MFCC settings) is fixed by <see cref="WindowFeatureExtractor.FeatureVersion"/>.
/// </remarks>
public sealed class WindowFeatureSettings
{
    private readonly double _windowSeconds = 1.0;
    private readonly double _hopSeconds = 0.5;

    /// <summary>Length of one analysis window in seconds, 0.25–10; default 1.</summary>
    public double WindowSeconds
    {
        get => _windowSeconds;
        init
        {
            if (!double.IsFinite(value) || value < 0.25 || value > 10)
            {
                throw new ArgumentOutOfRangeException(nameof(WindowSeconds), value, "Window length must be 0.25–10 s.");
            }

            _windowSeconds = value;
        }
    }

    /// <summary>Time between window starts in seconds, 0.05–10 (at most the window length); default 0.5.</summary>
    public double HopSeconds
    {
        get => _hopSeconds;
        init
        {
            if (!double.IsFinite(value) || value < 0.05 || value > 10)
            {
                throw new ArgumentOutOfRangeException(nameof(HopSeconds), value, "Window hop must be 0.05–10 s.");
            }

            _hopSeconds = value;
        }
    }

    /// <summary>Checks that the hop does not exceed the window.</summary>
    /// <exception cref="ArgumentException">Hop longer than the window.</exception>
    public void Validate()
    {
        if (HopSeconds > WindowSeconds + 1e-9)
        {
            throw new ArgumentException($"Window hop ({HopSeconds} s) must not exceed the window ({WindowSeconds} s).", nameof(HopSeconds));
        }
    }
}
