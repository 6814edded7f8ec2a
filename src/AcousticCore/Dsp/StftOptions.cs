using System.Numerics;

namespace AcousticCore.Dsp;

/// <summary>Frame size, hop and window of the short-time Fourier transform. Validated when set.</summary>
public sealed class StftOptions
{
    private readonly int _frameSize = 1024;
    private readonly int? _hopSize;

    /// <summary>Samples per frame: a power of two from 64 to 65536; default 1024.</summary>
    public int FrameSize
    {
        get => _frameSize;
        init
        {
            if (value < 64 || value > FftPlan.MaxSize || !BitOperations.IsPow2(value))
            {
                throw new ArgumentOutOfRangeException(nameof(FrameSize), value,
                    "Frame size must be a power of two from 64 to 65536 samples.");
            }

            _frameSize = value;
        }
    }

    /// <summary>Samples between frame starts, 1..FrameSize; default FrameSize / 2.</summary>
    public int HopSize
    {
        get => _hopSize ?? _frameSize / 2;
        init
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(HopSize), value, "Hop must be at least 1 sample.");
            _hopSize = value;
        }
    }

    /// <summary>Window applied before the FFT; default Hann.</summary>
    public WindowKind Window { get; init; } = WindowKind.Hann;

    /// <summary>Checks cross-field constraints (hop not larger than the frame).</summary>
    /// <exception cref="ArgumentException">Hop is larger than the frame.</exception>
    public void Validate()
    {
        if (HopSize > FrameSize)
        {
            throw new ArgumentException($"Hop ({HopSize}) must not exceed the frame size ({FrameSize}).", nameof(HopSize));
        }
    }
}
