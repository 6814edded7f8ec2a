using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AcousticCore.Dsp;

/// <summary>Receives each frame of a <see cref="StftFramer"/>.</summary>
public interface IFrameAnalyser
{
    /// <summary>Called once per frame, in stream order; the frame's spans are only valid during the call.</summary>
    void OnFrame(in Frame frame);
}

/// <summary>
/// Per-channel framer: a buffer of one frame, a hop, a window and one FFT per frame whose
/// spectrum is shared by every analyser. Frame k covers samples [k·hop, k·hop + N).
/// </summary>
/// <remarks>Allocates only at construction; <see cref="Push"/> allocates nothing.</remarks>
public sealed class StftFramer
{
    private readonly FftPlan _fft;
    private readonly float[] _window;
    private readonly float[] _buffer; // samples [next frame start, + _fill), in time order
    private readonly float[] _windowed;
    private readonly float[] _spectrum;
    private readonly float[] _power;
    private readonly WindowKind _windowKind;
    private readonly int _hop;
    private readonly int _channel;
    private readonly int _sampleRate;
    private readonly float _powerScaleInterior;
    private readonly float _powerScaleEdge;
    private long _samplesSeen;
    private int _fill;

    /// <summary>Builds the framer for one channel.</summary>
    public StftFramer(int channel, int sampleRate, StftOptions options)
        : this(channel, sampleRate, options, shareWith: null)
    {
    }

    /// <summary>
    /// Builds a framer that uses the FFT plan, window and per-frame buffers of <paramref name="shareWith"/>
    /// (same options): the framers of one stream run one after another, so they need only their own
    /// frame buffer. Sixteen channels then touch one set of tables and buffers instead of sixteen, which keeps
    /// them in the fast caches.
    /// </summary>
    internal StftFramer(int channel, int sampleRate, StftOptions options, StftFramer? shareWith)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _channel = channel;
        _sampleRate = sampleRate;
        int n = options.FrameSize;
        _hop = options.HopSize;
        _buffer = new float[n];
        if (shareWith is not null)
        {
            if (shareWith.FrameSize != n || shareWith._windowKind != options.Window)
            {
                throw new ArgumentException("A shared framer must have the same frame size and window.", nameof(shareWith));
            }

            _fft = shareWith._fft;
            _window = shareWith._window;
            _windowed = shareWith._windowed;
            _spectrum = shareWith._spectrum;
            _power = shareWith._power;
        }
        else
        {
            _fft = new FftPlan(n);
            _window = WindowDesign.Create(options.Window, n);
            _windowed = new float[n];
            _spectrum = new float[n + 2];
            _power = new float[n / 2 + 1];
        }

        _windowKind = options.Window;
        double sumW2 = 0;
        foreach (float w in _window) sumW2 += (double)w * w;
        _powerScaleEdge = (float)(1.0 / (n * sumW2));
        _powerScaleInterior = 2f * _powerScaleEdge;
    }

    /// <summary>Samples per frame.</summary>
    public int FrameSize => _buffer.Length;

    /// <summary>Samples between frames.</summary>
    public int HopSize => _hop;

    /// <summary>Total samples pushed so far.</summary>
    public long SamplesSeen => _samplesSeen;

    /// <summary>Appends samples of this channel; calls <paramref name="analyser"/> for every frame completed.</summary>
    public void Push<TAnalyser>(ReadOnlySpan<float> samples, TAnalyser analyser)
        where TAnalyser : IFrameAnalyser
    {
        while (!samples.IsEmpty)
        {
            // Copy up to the end of the next frame so frames complete exactly on their last sample.
            int take = Math.Min(samples.Length, Writable);
            samples[..take].CopyTo(_buffer.AsSpan(_fill));
            samples = samples[take..];
            Commit(take, analyser);
        }
    }

    /// <summary>Samples that can be written at <see cref="Buffer"/>[<see cref="Fill"/>] before the next frame completes.</summary>
    internal int Writable => _buffer.Length - _fill;

    /// <summary>Samples of the next frame already in <see cref="Buffer"/> (the same for every framer of a stream with the same options).</summary>
    internal int Fill => _fill;

    /// <summary>The frame buffer, for a caller that writes samples in place (then calls <see cref="Commit"/>).</summary>
    internal float[] Buffer => _buffer;

    /// <summary>Takes <paramref name="count"/> (≤ <see cref="Writable"/>) samples written at <see cref="Buffer"/>[<see cref="Fill"/>]; emits the frame when it is complete.</summary>
    internal void Commit<TAnalyser>(int count, TAnalyser analyser)
        where TAnalyser : IFrameAnalyser
    {
        _fill += count;
        _samplesSeen += count;
        if (_fill < _buffer.Length) return;

        EmitFrame(analyser);
        // Keep the overlap (hop ≤ N, checked by the options) at the front for the next frame.
        int keep = _buffer.Length - _hop;
        _buffer.AsSpan(_hop, keep).CopyTo(_buffer);
        _fill = keep;
    }

    private void EmitFrame<TAnalyser>(TAnalyser analyser)
        where TAnalyser : IFrameAnalyser
    {
        int n = _buffer.Length;
        System.Numerics.Tensors.TensorPrimitives.Multiply(_buffer, _window, _windowed);
        _fft.Forward(_windowed, _spectrum);

        PowerSpectrum(_spectrum, _power, _powerScaleInterior);
        int half = n / 2;
        // DC and Nyquist appear once in the one-sided sum: half the interior weight.
        PowerSpectrum(_spectrum.AsSpan(0, 2), _power.AsSpan(0, 1), _powerScaleEdge);
        PowerSpectrum(_spectrum.AsSpan(n, 2), _power.AsSpan(half, 1), _powerScaleEdge);

        analyser.OnFrame(new Frame(_channel, _samplesSeen - n, _sampleRate, _buffer, _spectrum, _power));
    }

    /// <summary>
    /// power[k] = (re_k² + im_k²)·scale for interleaved (re, im) pairs: sixteen bins per step with
    /// AVX-512 (the pairs split by two two-source permutes), else four per SSE3 horizontal add.
    /// Either way the operations are exactly the scalar ones, in the same order.
    /// </summary>
    internal static void PowerSpectrum(ReadOnlySpan<float> spectrum, Span<float> power, float scale)
    {
        int bins = power.Length, k = 0;
        if (Avx512F.IsSupported && bins >= 16)
        {
            ref float src = ref MemoryMarshal.GetReference(spectrum);
            ref float dst = ref MemoryMarshal.GetReference(power);
            var factor = Vector512.Create(scale);
            var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            var odd = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
            for (; k + 16 <= bins; k += 16)
            {
                var a = Vector512.LoadUnsafe(ref src, (nuint)(2 * k));
                var b = Vector512.LoadUnsafe(ref src, (nuint)((2 * k) + 16));
                var re = Avx512F.PermuteVar16x32x2(a, even, b);
                var im = Avx512F.PermuteVar16x32x2(a, odd, b);
                (((re * re) + (im * im)) * factor).StoreUnsafe(ref dst, (nuint)k);
            }
        }

        if (Sse3.IsSupported)
        {
            ref float src = ref MemoryMarshal.GetReference(spectrum);
            ref float dst = ref MemoryMarshal.GetReference(power);
            var factor = Vector128.Create(scale);
            for (; k + 4 <= bins; k += 4)
            {
                var a = Vector128.LoadUnsafe(ref src, (nuint)(2 * k));
                var b = Vector128.LoadUnsafe(ref src, (nuint)((2 * k) + 4));
                // (re0² + im0², re1² + im1², re2² + im2², re3² + im3²): exactly the scalar sums, in bin order.
                var sums = Sse3.HorizontalAdd(a * a, b * b);
                (sums * factor).StoreUnsafe(ref dst, (nuint)k);
            }
        }

        for (; k < bins; k++)
        {
            float re = spectrum[2 * k], im = spectrum[(2 * k) + 1];
            power[k] = ((re * re) + (im * im)) * scale;
        }
    }
}
