using System.Numerics;
using AcousticCore.Dsp;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using MathNet.Numerics.IntegralTransforms;

namespace AcousticCore.Benchmarks;

/// <summary>
/// Forward real FFT of one block, float where the library offers it, side by side: FftPlan, FftSharp,
/// NAudio 3 FftProcessor, NWaves RealFft, MathNet Fourier.ForwardReal and FFTW (system libfftw3f,
/// FFTW_PATIENT, out-of-place r2c; skipped when absent). FFTW is the baseline, so Ratio is "times FFTW".
/// </summary>
[MemoryDiagnoser]
[Config(typeof(FftwAvailabilityConfig))]
public unsafe class FftBenchmarks
{
    private float[] _input = [];
    private float[] _spectrum = [];
    private FftPlan _plan = null!;
    private Complex[] _fftSharpBuffer = [];
    private NAudio.Dsp.FftProcessor _naudio = null!;
    private NAudio.Dsp.Complex[] _naudioSpectrum = [];
    private NWaves.Transforms.RealFft _nwaves = null!;
    private float[] _nwavesRe = [], _nwavesIm = [];
    private float[] _mathNetBuffer = [];
    private nint _fftwPlan;
    private float* _fftwIn;
    private float* _fftwOut;

    [Params(256, 1024, 4096)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _input = new float[N];
        for (int i = 0; i < N; i++) _input[i] = (float)(rng.NextDouble() * 2 - 1);
        _spectrum = new float[N + 2];
        _plan = new FftPlan(N);
        _fftSharpBuffer = new Complex[N];
        _naudio = new NAudio.Dsp.FftProcessor(N, NAudio.Dsp.FftWindowType.None);
        _naudioSpectrum = new NAudio.Dsp.Complex[N / 2 + 1];
        _nwaves = new NWaves.Transforms.RealFft(N);
        _nwavesRe = new float[N];
        _nwavesIm = new float[N];
        _mathNetBuffer = new float[N + 2];
        if (FftwInterop.IsAvailable)
        {
            _fftwIn = FftwInterop.AllocFloats(N);
            _fftwOut = FftwInterop.AllocFloats(N + 2);
            // Planning overwrites the buffers, so the input is copied in afterwards.
            _fftwPlan = FftwInterop.PlanRealToComplex(N, _fftwIn, _fftwOut, FftwInterop.Patient);
            if (_fftwPlan == 0) throw new InvalidOperationException("fftwf_plan_dft_r2c_1d returned no plan.");
            _input.AsSpan().CopyTo(new Span<float>(_fftwIn, N));
        }

        VerifyAllAgree();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_fftwPlan != 0) FftwInterop.DestroyPlan(_fftwPlan);
        if (_fftwIn != null) FftwInterop.Free(_fftwIn);
        if (_fftwOut != null) FftwInterop.Free(_fftwOut);
        _fftwPlan = 0;
        _fftwIn = _fftwOut = null;
    }

    [Benchmark(Description = "FftPlan")]
    public float AcousticCoreFftPlan()
    {
        _plan.Forward(_input, _spectrum);
        return _spectrum[2];
    }

    [Benchmark(Description = "FftSharp")]
    public float FftSharpForward()
    {
        // FftSharp transforms Complex (double) in place; loading the real block is part of its cost.
        Complex[] buffer = _fftSharpBuffer;
        for (int i = 0; i < buffer.Length; i++) buffer[i] = new Complex(_input[i], 0);
        FftSharp.FFT.Forward(buffer.AsSpan());
        return (float)buffer[1].Real;
    }

    [Benchmark(Description = "NAudio FftProcessor")]
    public float NAudioFftProcessor()
    {
        _naudio.RealForward(_input, _naudioSpectrum);
        return _naudioSpectrum[1].X;
    }

    [Benchmark(Description = "NWaves RealFft")]
    public float NWavesRealFft()
    {
        _nwaves.Direct(_input, _nwavesRe, _nwavesIm);
        return _nwavesRe[1];
    }

    [Benchmark(Description = "MathNet ForwardReal")]
    public float MathNetForwardReal()
    {
        // In place on N + 2 floats, so the block is copied in first.
        Array.Copy(_input, _mathNetBuffer, N);
        Fourier.ForwardReal(_mathNetBuffer, N, FourierOptions.Matlab);
        return _mathNetBuffer[2];
    }

    [Benchmark(Description = "FFTW", Baseline = true)]
    public float Fftw()
    {
        FftwInterop.Execute(_fftwPlan);
        return _fftwOut[2];
    }

    /// <summary>Every variant must produce FftPlan's spectrum (after its own scaling) before anything is timed.</summary>
    private void VerifyAllAgree()
    {
        AcousticCoreFftPlan();
        float[] reference = (float[])_spectrum.Clone();
        double scale = 0;
        for (int k = 0; k <= N / 2; k++) scale = Math.Max(scale, Math.Abs(reference[2 * k]) + Math.Abs(reference[2 * k + 1]));
        int bins = N / 2 + 1;

        FftSharpForward();
        Check("FftSharp", k => ((float)_fftSharpBuffer[k].Real, (float)_fftSharpBuffer[k].Imaginary));
        NAudioFftProcessor();
        Check("NAudio FftProcessor", k => (_naudioSpectrum[k].X * N, _naudioSpectrum[k].Y * N));
        NWavesRealFft();
        Check("NWaves RealFft", k => (_nwavesRe[k], _nwavesIm[k]));
        MathNetForwardReal();
        Check("MathNet ForwardReal", k => (_mathNetBuffer[2 * k], _mathNetBuffer[2 * k + 1]));
        if (_fftwPlan != 0)
        {
            Fftw();
            Check("FFTW", k => (_fftwOut[2 * k], _fftwOut[2 * k + 1]));
        }
        else
        {
            Console.WriteLine(FftwInterop.MissingMessage);
        }

        void Check(string name, Func<int, (float Re, float Im)> bin)
        {
            for (int k = 0; k < bins; k++)
            {
                (float re, float im) = bin(k);
                double err = Math.Abs(re - reference[2 * k]) + Math.Abs(im - reference[2 * k + 1]);
                if (err > 1e-4 * scale)
                {
                    throw new InvalidOperationException(
                        $"{name} differs from FftPlan at N={N}, bin {k}: ({re}, {im}) vs ({reference[2 * k]}, {reference[2 * k + 1]}).");
                }
            }
        }
    }
}

/// <summary>
/// Drops the FFTW case (with a message) when libfftw3f.so.3 is not installed, and allows slow builds of
/// the generated benchmark project on a busy machine.
/// </summary>
public sealed class FftwAvailabilityConfig : ManualConfig
{
    public FftwAvailabilityConfig()
    {
        BuildTimeout = TimeSpan.FromMinutes(10);
        if (!FftwInterop.IsAvailable)
        {
            Console.WriteLine(FftwInterop.MissingMessage);
            AddFilter(new SimpleFilter(c => c.Descriptor.WorkloadMethod.Name != nameof(FftBenchmarks.Fftw)));
        }
    }
}
