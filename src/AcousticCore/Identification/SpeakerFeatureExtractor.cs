using AcousticCore.Dsp;
using AcousticCore.Features;

namespace AcousticCore.Identification;

/// <summary>
/// Turns mono audio into the speaker-recognition feature vectors: MFCC c1..c19 plus their deltas,
/// on frames kept by an energy voice-activity detector, mean- and variance-normalised per clip.
/// </summary>
/// <remarks>
/// Per frame (25 ms Hamming window, 10 ms hop, FFT = next power of two): pre-emphasis 0.97,
/// power spectrum, 26 unit-peak HTK mel filters from 100 to 3800 Hz (so 8 kHz telephone audio and
/// wide-band audio give comparable features), ln, orthonormal DCT-II, no lifter; c0 is dropped
/// (it only tracks loudness). Deltas: HTK regression over ±2 frames, computed on the full frame
/// sequence before frames are dropped, so their context is the real neighbour frames.
/// Voice activity (energy only, no pitch check): a frame is kept when its RMS level is within
/// <see cref="VadDynamicRangeDb"/> of the loudest frame of the clip and above
/// <see cref="VadFloorDbfs"/>. This removes silence and pauses from clean recordings; it does not
/// separate speech from loud noise. CMVN: each dimension is shifted and scaled to zero mean and unit
/// variance over the kept frames of the clip, which removes a fixed channel (microphone) colouring.
/// </remarks>
internal sealed class SpeakerFeatureExtractor
{
    /// <summary>Static cepstral coefficients per frame (c1..c19).</summary>
    public const int StaticDimension = 19;

    /// <summary>Feature dimension: static coefficients plus deltas.</summary>
    public const int Dimension = 2 * StaticDimension;

    public const int MinSampleRate = 8000;
    public const int MaxSampleRate = 192_000;
    public const double MaxAudioSeconds = 600;
    public const double VadDynamicRangeDb = 30;
    public const double VadFloorDbfs = -55;
    private const double FrameSeconds = 0.025;
    private const double HopSeconds = 0.010;
    private const float PreEmphasis = 0.97f;
    private const int DeltaHalfWindow = 2;
    private const int FilterCount = 26;
    private const double LowHz = 100, HighHz = 3800;

    /// <summary>Short text naming every feature setting; part of the model identity.</summary>
    public const string Description = "mfcc:c1-19+d2;mel26:100-3800hz:htk-peak;frame25ms-hop10ms-hamming-pre0.97;vad:30db/-55dbfs;cmvn:clip";

    private readonly int _frameLength;
    private readonly int _hop;
    private readonly float[] _window;
    private readonly FftPlan _fft;
    private readonly MfccExtractor _mfcc;
    private readonly float[] _frame;
    private readonly float[] _spectrum;
    private readonly float[] _power;
    private readonly float[] _cepstrum;

    public SpeakerFeatureExtractor(int sampleRate)
    {
        if (sampleRate < MinSampleRate || sampleRate > MaxSampleRate)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate,
                $"Speaker features need a sample rate from {MinSampleRate} to {MaxSampleRate} Hz.");
        }

        SampleRate = sampleRate;
        _frameLength = (int)Math.Round(FrameSeconds * sampleRate);
        _hop = (int)Math.Round(HopSeconds * sampleRate);
        int fftSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)_frameLength);
        _window = new float[_frameLength];
        for (int i = 0; i < _frameLength; i++)
        {
            _window[i] = (float)(0.54 - 0.46 * Math.Cos(2 * Math.PI * i / (_frameLength - 1)));
        }

        _fft = new FftPlan(fftSize);
        _mfcc = new MfccExtractor(sampleRate, fftSize, new MfccOptions
        {
            FilterCount = FilterCount, CoefficientCount = StaticDimension + 1, LowFrequencyHz = LowHz,
            HighFrequencyHz = HighHz, Lifter = 0,
        });
        _frame = new float[fftSize];
        _spectrum = new float[fftSize + 2];
        _power = new float[fftSize / 2 + 1];
        _cepstrum = new float[StaticDimension + 1];
    }

    public int SampleRate { get; }

    /// <summary>Frames per second of audio (1 / hop).</summary>
    public double FramesPerSecond => (double)SampleRate / _hop;

    /// <summary>
    /// Extracts normalised features of the voiced frames of one clip into a new array
    /// (voicedFrames × <see cref="Dimension"/>, row-major) and returns the number of voiced frames.
    /// </summary>
    /// <exception cref="ArgumentException">Audio longer than <see cref="MaxAudioSeconds"/> or containing NaN/∞.</exception>
    public int Extract(ReadOnlySpan<float> audio, out float[] features)
    {
        if (audio.Length > MaxAudioSeconds * SampleRate)
        {
            throw new ArgumentException($"Clip of {audio.Length} samples exceeds the {MaxAudioSeconds} s limit.", nameof(audio));
        }

        for (int i = 0; i < audio.Length; i++)
        {
            if (!float.IsFinite(audio[i]))
            {
                throw new ArgumentException($"Audio sample {i} is not a finite number.", nameof(audio));
            }
        }

        int frames = audio.Length < _frameLength ? 0 : 1 + (audio.Length - _frameLength) / _hop;
        if (frames == 0)
        {
            features = [];
            return 0;
        }

        var statics = new float[frames * StaticDimension];
        var levelsDb = new float[frames];
        float loudest = float.NegativeInfinity;
        for (int t = 0; t < frames; t++)
        {
            int start = t * _hop;
            ReadOnlySpan<float> x = audio.Slice(start, _frameLength);
            double energy = 0;
            float previous = start > 0 ? audio[start - 1] : x[0];
            for (int i = 0; i < x.Length; i++)
            {
                energy += x[i] * x[i];
                _frame[i] = (x[i] - PreEmphasis * previous) * _window[i];
                previous = x[i];
            }

            _frame.AsSpan(_frameLength).Clear();
            levelsDb[t] = (float)(10 * Math.Log10(energy / _frameLength + 1e-20));
            loudest = MathF.Max(loudest, levelsDb[t]);
            _fft.Forward(_frame, _spectrum);
            MfccExtractor.PowerSpectrum(_spectrum, _power);
            _mfcc.Compute(_power, _cepstrum);
            _cepstrum.AsSpan(1, StaticDimension).CopyTo(statics.AsSpan(t * StaticDimension, StaticDimension));
        }

        var deltas = new float[statics.Length];
        MfccDeltas.Compute(statics, frames, StaticDimension, DeltaHalfWindow, deltas);

        float gate = (float)Math.Max(loudest - VadDynamicRangeDb, VadFloorDbfs);
        int voiced = 0;
        for (int t = 0; t < frames; t++)
        {
            if (levelsDb[t] >= gate) voiced++;
        }

        features = new float[voiced * Dimension];
        int row = 0;
        for (int t = 0; t < frames; t++)
        {
            if (levelsDb[t] < gate) continue;
            Span<float> dst = features.AsSpan(row * Dimension, Dimension);
            statics.AsSpan(t * StaticDimension, StaticDimension).CopyTo(dst);
            deltas.AsSpan(t * StaticDimension, StaticDimension).CopyTo(dst[StaticDimension..]);
            row++;
        }

        NormaliseMeanAndVariance(features, voiced, Dimension);
        return voiced;
    }

    /// <summary>Shifts and scales each dimension to zero mean and unit variance over the frames (CMVN).</summary>
    internal static void NormaliseMeanAndVariance(Span<float> features, int frames, int dimension)
    {
        if (frames == 0) return;
        Span<double> mean = stackalloc double[dimension];
        Span<double> sq = stackalloc double[dimension];
        for (int t = 0; t < frames; t++)
        {
            ReadOnlySpan<float> x = features.Slice(t * dimension, dimension);
            for (int i = 0; i < dimension; i++)
            {
                mean[i] += x[i];
                sq[i] += (double)x[i] * x[i];
            }
        }

        Span<float> scale = stackalloc float[dimension];
        for (int i = 0; i < dimension; i++)
        {
            mean[i] /= frames;
            double variance = sq[i] / frames - mean[i] * mean[i];
            // A constant dimension (one frame, or digital silence) has no spread to normalise: only centre it.
            scale[i] = variance > 1e-12 ? (float)(1 / Math.Sqrt(variance)) : 1f;
        }

        for (int t = 0; t < frames; t++)
        {
            Span<float> x = features.Slice(t * dimension, dimension);
            for (int i = 0; i < dimension; i++) x[i] = (float)((x[i] - mean[i]) * scale[i]);
        }
    }
}
