using System.Globalization;
using AcousticCore.Dsp;
using AcousticCore.Features;

namespace AcousticCore.Classification;

/// <summary>Receives each analysis window's feature vector from a <see cref="WindowFeatureExtractor"/>.</summary>
public interface IWindowFeatureSink
{
    /// <summary>Called once per window, in stream order; <paramref name="features"/> is valid only during the call.</summary>
    /// <param name="startSample">Index of the window's first sample, at the analysis rate (<see cref="WindowFeatureExtractor.SampleRate"/>:
    /// twice the input's below 16 kHz).</param>
    /// <param name="sampleCount">Samples covered by the window's frames, at the analysis rate.</param>
    /// <param name="features">The feature vector, in <see cref="WindowFeatureExtractor.FeatureNames"/> order.</param>
    void OnWindow(long startSample, int sampleCount, ReadOnlySpan<float> features);
}

/// <summary>
/// Streaming classification features: frames every 10 ms (one shared FFT each), aggregated into one
/// vector per analysis window (default 1 s, hop 0.5 s): the window's own features, then their mean over
/// this window and the <see cref="ContextWindows"/> − 1 before it (causal context). Definitions are in
/// docs/classification.md.
/// </summary>
/// <remarks>
/// Frame length is the smallest power of two ≥ 25 ms at the analysis rate (512 at 16 kHz, 2048 at
/// 44.1/48 kHz), Hann window, hop round(10 ms). Spectral features use 0–8 kHz only, so a recording gives
/// the same features at 16 kHz and at 48 kHz. A stream at 8–16 kHz is interpolated to twice its rate
/// (<see cref="IntegerUpsampler"/>) and analysed there: its features then see no content above its own
/// Nyquist frequency, which is what it holds. <see cref="Push"/> allocates nothing; all buffers are sized at
/// construction.
/// </remarks>
public sealed class WindowFeatureExtractor : IFrameAnalyser
{
    /// <summary>Version of the feature definitions; a model file must name the same version.</summary>
    public const int FeatureVersion = 3;

    /// <summary>Upper frequency of every spectral feature, Hz.</summary>
    public const double AnalysisBandwidthHz = 8000;

    /// <summary>Lowest analysis sample rate, Hz (twice the analysis bandwidth); slower streams are interpolated ×2.</summary>
    public const int MinSampleRate = 16_000;

    /// <summary>Lowest input sample rate, Hz: 8–16 kHz input is analysed at twice its rate.</summary>
    public const int MinInputSampleRate = 8_000;

    /// <summary>Highest input sample rate, Hz.</summary>
    public const int MaxSampleRate = 192_000;

    /// <summary>Input samples interpolated per step (the interpolation scratch holds twice as many).</summary>
    private const int UpsampleBlock = 4096;

    /// <summary>Frame hop in seconds (100 frames per second).</summary>
    public const double FrameHopSeconds = 0.010;

    /// <summary>Shortest frame length in seconds; the frame is the next power of two.</summary>
    public const double MinFrameSeconds = 0.025;

    /// <summary>Frame levels below this (dBFS) count as silence: no spectral descriptors are taken from them.</summary>
    public const double SilenceLevelDb = -100;

    /// <summary>Rise in frame level (dB) within one frame length that counts as an onset.</summary>
    public const double OnsetRiseDb = 10;

    /// <summary>Minimum time between two onsets, seconds.</summary>
    public const double OnsetRefractorySeconds = 0.05;

    /// <summary>Lowest and highest envelope modulation frequency of the modulation features, Hz.</summary>
    public const double ModulationLowHz = 2, ModulationHighHz = 20;

    /// <summary>Highest F0 searched by the harmonicity feature, Hz.</summary>
    public const double HarmonicityMaxF0Hz = 1000;

    /// <summary>IEC 61260-1 base-10 third-octave band indices x (fm = 1000 · 10^(x/10) Hz): 50 Hz … 6.3 kHz.</summary>
    public const int FirstBandIndex = -13, LastBandIndex = 8;

    /// <summary>Number of MFCCs (c0..c12) from 26 HTK mel filters over 0–8 kHz.</summary>
    public const int MfccCount = 13;

    /// <summary>Edges (Hz) of the six octave-like sub-bands of the spectral-contrast features (Jiang et al. 2002).</summary>
    public static ReadOnlySpan<double> ContrastEdgesHz => [0, 200, 400, 800, 1600, 3200, 8000];

    /// <summary>Fraction of a sub-band's bins averaged for its peak and for its valley (Jiang et al. 2002: α = 0.2).</summary>
    public const double ContrastAlpha = 0.2;

    /// <summary>Lowest and highest frequency (Hz) folded into the 12 pitch classes of the chroma features.</summary>
    public const double ChromaLowHz = 500, ChromaHighHz = 4000;

    /// <summary>Frame lag of the long-lag band-spectrum correlation (25 frames = 250 ms).</summary>
    public const int LongCorrelationLagFrames = 25;

    private const int DescriptorCount = 7;
    private const int BandCount = LastBandIndex - FirstBandIndex + 1;
    private const int ContrastBandCount = 6;
    private const int ChromaCount = 12;
    private const int BroadBandCount = 4;
    private const int ModulationBandCount = 4;
    private const int PartialWindowMinFrames = 10;
    private const int Version2FeatureCount = 139;
    private const int LtasContrastCount = ContrastBandCount;
    private const double TonalPeakDb = 10;

    /// <summary>Windows averaged by the context features: the current one and the two before it (2 s at the defaults).</summary>
    public const int ContextWindows = 3;

    // Per-frame row layout.
    private const int ColLevel = DescriptorCount;       // frame level dBFS
    private const int ColMeanSquare = ColLevel + 1;     // linear mean square
    private const int ColPeak = ColLevel + 2;           // max |x|
    private const int ColProminence = ColLevel + 3;     // dB
    private const int ColHarmonicity = ColLevel + 4;    // 0..1
    private const int ColPeakKhz = ColLevel + 5;        // kHz
    private const int ColValid = ColLevel + 6;          // 1 = above the silence level
    private const int ColBands = ColLevel + 7;
    private const int ColMfcc = ColBands + BandCount;
    private const int ColContrast = ColMfcc + MfccCount;            // dB per contrast sub-band
    private const int ColChroma = ColContrast + ContrastBandCount;   // 12 pitch-class energies (normalised to sum 1)
    private const int ColChromaEntropy = ColChroma + ChromaCount;    // bits, 0..log2(12)
    private const int RowWidth = ColChromaEntropy + 1;

    // Third-octave band groups of the per-band level SD: 50–160 Hz, 200–630 Hz, 800 Hz–2.5 kHz, 3.15–6.3 kHz.
    private static readonly int[] BroadBandFirst = [0, 6, 12, 18];
    private static readonly int[] BroadBandEnd = [6, 12, 18, 22];

    // Envelope modulation bands of the modulation-spectrum features, Hz: [lo, hi).
    private static readonly double[] ModulationBandEdgesHz = [2, 4, 8, 16, 32];

    private static readonly string[] DescriptorNames =
        ["centroid_khz", "spread_khz", "flatness", "rolloff_khz", "flux", "crest_db", "slope_per_khz"];

    private static readonly string[] Names = BuildNames();
    private static readonly int OwnFeatureCount = Names.Length / 2;

    private readonly StftFramer _framer;
    private readonly SpectralDescriptorCalculator _descriptors;
    private readonly MfccExtractor _mfcc;
    private readonly FftPlan _acfPlan;
    private readonly float[] _acfSpectrum;
    private readonly float[] _acf;
    private readonly float[] _windowAcf;
    private readonly int _frameSize;
    private readonly int _frameHop;
    private readonly int _analysisBins;   // power bins 0.._analysisBins-1 lie at or below 8 kHz
    private readonly int _minLag, _maxLag;
    private readonly int _prominenceHalfWidth;
    private readonly int[] _bandFirstBin;
    private readonly float[][] _bandWeights;
    private readonly float[] _rows;        // ring of per-frame rows: _windowFrames × RowWidth
    private readonly float[] _ordered;     // the window's rows in time order
    private readonly float[] _column;      // sort scratch
    private readonly float[] _mfccSeq;     // window MFCCs, frames × MfccCount
    private readonly float[] _deltaSeq;
    private readonly float[] _features;
    private readonly int[] _contrastFirstBin;   // ContrastBandCount + 1 edges in power bins
    private readonly float[] _sortScratch;
    private readonly int[] _chromaClass;        // pitch class per power bin, −1 outside ChromaLowHz..ChromaHighHz
    private readonly float[] _bandDb;           // window frames × BandCount, dB
    private readonly float[] _chromaSum = new float[ChromaCount];
    private readonly float[] _spectra;          // ring of per-frame analysis power spectra: _windowFrames × _analysisBins
    private readonly double[] _ltas;            // the window's mean power spectrum (bins 0.._analysisBins − 1)
    private readonly float[] _ltasFloat;
    private readonly float[] _envelope;         // scratch envelope, one value per frame
    private readonly float[] _history;          // the previous ContextWindows − 1 windows' own features (ring)
    private readonly double[] _weightedEnvelope; // Hann-weighted envelope minus its mean
    private readonly double[] _modulationCos;   // envelope DFT twiddles of a full window: bins × _windowFrames
    private readonly double[] _modulationSin;
    private readonly int _windowFrames;
    private readonly int _hopFrames;
    private readonly int _onsetSpan;
    private readonly int _refractoryFrames;
    private long _frameCount;
    private long _windowCount;
    private readonly IntegerUpsampler? _upsampler;   // 8–16 kHz input only
    private readonly float[] _upsampled;
    private IWindowFeatureSink? _sink;
    private bool _completed;

    /// <summary>Builds the extractor for a mono stream at <paramref name="sampleRate"/> (8–192 kHz).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Sample rate below 8 kHz or above 192 kHz.</exception>
    public WindowFeatureExtractor(int sampleRate, WindowFeatureSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (sampleRate < MinInputSampleRate || sampleRate > MaxSampleRate)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate,
                $"Classification needs a sample rate of {MinInputSampleRate}–{MaxSampleRate} Hz.");
        }

        Settings = settings;
        InputSampleRate = sampleRate;
        if (sampleRate < MinSampleRate)
        {
            _upsampler = new IntegerUpsampler(2);
            sampleRate *= 2;
        }

        _upsampled = new float[_upsampler is null ? 0 : Math.Max(UpsampleBlock * 2, _upsampler.Delay)];
        SampleRate = sampleRate;
        _frameSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Ceiling(MinFrameSeconds * sampleRate));
        _frameHop = (int)Math.Round(FrameHopSeconds * sampleRate);
        _framer = new StftFramer(0, sampleRate, new StftOptions { FrameSize = _frameSize, HopSize = _frameHop, Window = WindowKind.Hann });
        _descriptors = new SpectralDescriptorCalculator(_frameSize);
        _mfcc = new MfccExtractor(sampleRate, _frameSize, new MfccOptions
        {
            FilterCount = 26,
            CoefficientCount = MfccCount,
            LowFrequencyHz = 0,
            HighFrequencyHz = AnalysisBandwidthHz,
        });

        double binHz = (double)sampleRate / _frameSize;
        _analysisBins = Math.Min(_frameSize / 2, (int)Math.Floor(AnalysisBandwidthHz / binHz)) + 1;
        _minLag = (int)Math.Ceiling(sampleRate / HarmonicityMaxF0Hz);
        _maxLag = _frameSize / 3;   // circular-autocorrelation aliasing stays small below N/3 with a Hann window
        _prominenceHalfWidth = Math.Max(8, (int)Math.Round(150 / binHz));

        _acfPlan = new FftPlan(_frameSize);
        _acfSpectrum = new float[_frameSize + 2];
        _acf = new float[_frameSize];
        _windowAcf = new float[_frameSize];
        float[] window = WindowDesign.Create(WindowKind.Hann, _frameSize);
        var wSpec = new float[_frameSize + 2];
        _acfPlan.Forward(window, wSpec);
        for (int k = 0; k <= _frameSize / 2; k++)
        {
            float re = wSpec[2 * k], im = wSpec[2 * k + 1];
            wSpec[2 * k] = re * re + im * im;
            wSpec[2 * k + 1] = 0;
        }

        _acfPlan.Inverse(wSpec, _windowAcf);

        (_bandFirstBin, _bandWeights) = BuildBands(binHz, _frameSize / 2 + 1);
        ReadOnlySpan<double> edges = ContrastEdgesHz;
        _contrastFirstBin = new int[ContrastBandCount + 1];
        for (int b = 0; b <= ContrastBandCount; b++)
        {
            // Bin 0 (DC) is left out; the top edge includes the 8 kHz bin.
            _contrastFirstBin[b] = b == 0 ? 1 : b == ContrastBandCount ? _analysisBins : Math.Min(_analysisBins, (int)Math.Ceiling(edges[b] / binHz));
        }

        _sortScratch = new float[_analysisBins];
        _chromaClass = new int[_analysisBins];
        for (int k = 0; k < _analysisBins; k++)
        {
            double f = k * binHz;
            _chromaClass[k] = f < ChromaLowHz || f > ChromaHighHz
                ? -1
                : ((int)Math.Round(12 * Math.Log2(f / 440)) % 12 + 12) % 12;   // 0 = A
        }

        int windowSamples = (int)Math.Round(settings.WindowSeconds * sampleRate);
        _windowFrames = Math.Max(1, (windowSamples - _frameSize) / _frameHop + 1);
        _hopFrames = Math.Max(1, (int)Math.Round(settings.HopSeconds * sampleRate / _frameHop));
        _onsetSpan = Math.Max(1, (int)Math.Ceiling((double)_frameSize / _frameHop));
        _refractoryFrames = Math.Max(1, (int)Math.Round(OnsetRefractorySeconds / FrameHopSeconds));
        _rows = new float[_windowFrames * RowWidth];
        _ordered = new float[_windowFrames * RowWidth];
        _column = new float[_windowFrames];
        _mfccSeq = new float[_windowFrames * MfccCount];
        _deltaSeq = new float[_windowFrames * MfccCount];
        _bandDb = new float[_windowFrames * BandCount];
        _features = new float[Names.Length];
        _spectra = new float[_windowFrames * _analysisBins];
        _ltas = new double[_analysisBins];
        _ltasFloat = new float[_analysisBins];
        _envelope = new float[_windowFrames];
        _history = new float[(ContextWindows - 1) * OwnFeatureCount];
        _weightedEnvelope = new double[_windowFrames];
        ModulationBins(_windowFrames, out int jLo, out int jHi, out int jTop);
        int jCount = Math.Max(0, Math.Max(jHi, jTop) - jLo + 1);
        _modulationCos = new double[jCount * _windowFrames];
        _modulationSin = new double[jCount * _windowFrames];
        for (int j = jLo; j < jLo + jCount; j++)
        {
            for (int t = 0; t < _windowFrames; t++)
            {
                double a = 2 * Math.PI * j * t / _windowFrames;
                _modulationCos[(j - jLo) * _windowFrames + t] = Math.Cos(a);
                _modulationSin[(j - jLo) * _windowFrames + t] = Math.Sin(a);
            }
        }
    }

    /// <summary>Feature names in vector order (snake_case, unit in the name).</summary>
    public static IReadOnlyList<string> FeatureNames => Names;

    /// <summary>Length of the feature vector.</summary>
    public static int FeatureCount => Names.Length;

    /// <summary>Nominal third-octave centre frequencies (Hz) of the band-level features, 50 Hz … 6.3 kHz.</summary>
    public static IReadOnlyList<int> NominalBandCentresHz { get; } =
        [50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300];

    /// <summary>The window settings in use.</summary>
    public WindowFeatureSettings Settings { get; }

    /// <summary>Analysis sample rate in Hz: the input's, or twice it for input below 16 kHz. Window positions count its samples.</summary>
    public int SampleRate { get; }

    /// <summary>The input stream's sample rate in Hz.</summary>
    public int InputSampleRate { get; }

    /// <summary>Frame length in samples.</summary>
    public int FrameSize => _frameSize;

    /// <summary>Frame hop in samples.</summary>
    public int FrameHop => _frameHop;

    /// <summary>Frames per full analysis window.</summary>
    public int WindowFrames => _windowFrames;

    /// <summary>Frames between window starts.</summary>
    public int HopFrames => _hopFrames;

    /// <summary>Windows emitted so far.</summary>
    public long WindowCount => _windowCount;

    /// <summary>Appends mono samples; calls <paramref name="sink"/> for every completed window. Allocates nothing.</summary>
    /// <exception cref="InvalidOperationException">Called after <see cref="Complete"/>.</exception>
    public void Push(ReadOnlySpan<float> samples, IWindowFeatureSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_completed) throw new InvalidOperationException("The stream was completed: no more samples can be pushed.");
        _sink = sink;
        try
        {
            if (_upsampler is null)
            {
                _framer.Push(samples, this);
                return;
            }

            while (!samples.IsEmpty)
            {
                int n = Math.Min(UpsampleBlock, samples.Length);
                int produced = _upsampler.Process(samples[..n], _upsampled);
                _framer.Push(_upsampled.AsSpan(0, produced), this);
                samples = samples[n..];
            }
        }
        finally
        {
            _sink = null;
        }
    }

    /// <summary>
    /// Ends the stream: a recording too short for one full window but at least 10 frames (~0.13 s) long
    /// yields one window of the frames it has, so short clips (a beep, a bang) are still classified. A second call does nothing.
    /// </summary>
    public void Complete(IWindowFeatureSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_completed) return;
        _completed = true;
        if (_upsampler is not null)
        {
            int produced = _upsampler.Flush(_upsampled);   // the interpolation filter's last outputs
            _sink = sink;
            try
            {
                _framer.Push(_upsampled.AsSpan(0, produced), this);
            }
            finally
            {
                _sink = null;
            }
        }

        if (_windowCount == 0 && _frameCount >= PartialWindowMinFrames && _frameCount < _windowFrames)
        {
            int m = (int)_frameCount;
            _rows.AsSpan(0, m * RowWidth).CopyTo(_ordered);
            EmitWindow(sink, 0, m);
        }
    }

    /// <inheritdoc />
    void IFrameAnalyser.OnFrame(in Frame frame)
    {
        int slot = (int)(_frameCount % _windowFrames);
        Span<float> row = _rows.AsSpan(slot * RowWidth, RowWidth);
        ComputeFrameRow(frame, row);
        frame.Power[.._analysisBins].CopyTo(_spectra.AsSpan(slot * _analysisBins, _analysisBins));
        _frameCount++;
        if (_frameCount >= _windowFrames && (_frameCount - _windowFrames) % _hopFrames == 0)
        {
            // Unroll the ring: the oldest frame of the window sits in the slot that is written next.
            int oldest = (int)(_frameCount % _windowFrames);
            int tail = (_windowFrames - oldest) * RowWidth;
            _rows.AsSpan(oldest * RowWidth, tail).CopyTo(_ordered);
            _rows.AsSpan(0, oldest * RowWidth).CopyTo(_ordered.AsSpan(tail));
            EmitWindow(_sink!, (_frameCount - _windowFrames) * _frameHop, _windowFrames);
        }
    }

    private void ComputeFrameRow(in Frame frame, Span<float> row)
    {
        ReadOnlySpan<float> power = frame.Power;
        ReadOnlySpan<float> samples = frame.Samples;
        double binHz = frame.BinHz;
        ReadOnlySpan<float> analysis = power[.._analysisBins];
        _descriptors.Compute(samples, analysis, binHz, out SpectralDescriptorValues d);

        float peak = 0;
        double sumSquares = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            float x = samples[i];
            sumSquares += (double)x * x;
            float a = MathF.Abs(x);
            if (a > peak) peak = a;
        }

        double meanSquare = sumSquares / samples.Length;
        double levelDb = 10 * Math.Log10(meanSquare + 1e-12);
        bool valid = levelDb > SilenceLevelDb && double.IsFinite(d.CentroidHz);
        row[0] = (float)(d.CentroidHz / 1000);
        row[1] = (float)(d.SpreadHz / 1000);
        row[2] = (float)d.Flatness;
        row[3] = (float)(d.RolloffHz / 1000);
        row[4] = (float)(double.IsNaN(d.Flux) ? 0 : d.Flux);
        row[5] = (float)(10 * Math.Log10(Math.Max(d.Crest, 1)));
        row[6] = (float)(d.Slope * 1000);
        row[ColLevel] = (float)levelDb;
        row[ColMeanSquare] = (float)meanSquare;
        row[ColPeak] = peak;
        row[ColValid] = valid ? 1 : 0;

        // Tonality: prominence of the strongest bin over its neighbourhood (main lobe ±2 bins excluded).
        int kPeak = 2;
        for (int k = 3; k < _analysisBins - 1; k++)
        {
            if (analysis[k] > analysis[kPeak]) kPeak = k;
        }

        row[ColProminence] = (float)Math.Clamp(Prominence(analysis, kPeak), 0, 80);
        row[ColPeakKhz] = (float)(kPeak * binHz / 1000);
        row[ColHarmonicity] = (float)Harmonicity(frame.Spectrum);

        for (int b = 0; b < BandCount; b++)
        {
            float[] w = _bandWeights[b];
            ReadOnlySpan<float> p = power.Slice(_bandFirstBin[b], w.Length);
            double e = 0;
            for (int k = 0; k < w.Length; k++) e += w[k] * p[k];
            row[ColBands + b] = (float)e;
        }

        _mfcc.Compute(power, row.Slice(ColMfcc, MfccCount));
        Contrast(analysis, row.Slice(ColContrast, ContrastBandCount));
        row[ColChromaEntropy] = (float)Chroma(analysis, row.Slice(ColChroma, ChromaCount));
    }

    /// <summary>
    /// Spectral contrast per sub-band (Jiang et al. 2002): 10·log10 of the mean power of the strongest
    /// α = 20 % of the band's bins over the mean of the weakest 20 % (at least one bin each), 0 for an empty band.
    /// </summary>
    private void Contrast(ReadOnlySpan<float> power, Span<float> contrast)
    {
        for (int b = 0; b < ContrastBandCount; b++)
        {
            int k0 = _contrastFirstBin[b], k1 = _contrastFirstBin[b + 1];
            int m = k1 - k0;
            if (m <= 0)
            {
                contrast[b] = 0;
                continue;
            }

            Span<float> v = _sortScratch.AsSpan(0, m);
            power.Slice(k0, m).CopyTo(v);
            v.Sort();
            int take = Math.Max(1, (int)Math.Round(ContrastAlpha * m));
            double valley = 0, peak = 0;
            for (int i = 0; i < take; i++)
            {
                valley += v[i];
                peak += v[m - 1 - i];
            }

            contrast[b] = (float)(10 * Math.Log10((peak + 1e-20) / (valley + 1e-20)));
        }
    }

    /// <summary>
    /// Pitch-class profile: power of the bins from 500 Hz to 4 kHz folded onto the nearest of 12 equal-tempered
    /// pitch classes (A = 440 Hz), normalised to sum 1. Returns its entropy in bits (log2 12 ≈ 3.58 when flat;
    /// 0 and an all-zero profile when there is no power).
    /// </summary>
    private double Chroma(ReadOnlySpan<float> power, Span<float> chroma)
    {
        chroma.Clear();
        double total = 0;
        for (int k = 0; k < power.Length; k++)
        {
            int c = _chromaClass[k];
            if (c < 0) continue;
            chroma[c] += power[k];
            total += power[k];
        }

        if (!(total > 1e-20))
        {
            chroma.Clear();
            return 0;
        }

        double entropy = 0;
        for (int c = 0; c < ChromaCount; c++)
        {
            double p = chroma[c] / total;
            chroma[c] = (float)p;
            if (p > 0) entropy -= p * Math.Log2(p);
        }

        return entropy;
    }

    /// <summary>
    /// Highest local maximum of the window-corrected normalised autocorrelation r(τ)/r(0) ÷ (r_w(τ)/r_w(0))
    /// for F0 from 1 kHz down to 3·fs/N (Boersma 1993), clamped to 0..1; 0 for silence.
    /// </summary>
    private double Harmonicity(ReadOnlySpan<float> spectrum)
    {
        int half = _frameSize / 2;
        for (int k = 0; k <= half; k++)
        {
            float re = spectrum[2 * k], im = spectrum[2 * k + 1];
            _acfSpectrum[2 * k] = re * re + im * im;
            _acfSpectrum[2 * k + 1] = 0;
        }

        _acfPlan.Inverse(_acfSpectrum, _acf);
        float r0 = _acf[0];
        if (!(r0 > 1e-20f)) return 0;
        float w0 = _windowAcf[0];
        double best = 0;
        for (int lag = _minLag; lag <= _maxLag; lag++)
        {
            float r = _acf[lag];
            if (r > _acf[lag - 1] && r >= _acf[lag + 1])
            {
                double v = r / r0 / (_windowAcf[lag] / w0);
                if (v > best) best = v;
            }
        }

        return Math.Min(best, 1);
    }

    private void EmitWindow(IWindowFeatureSink sink, long startSample, int frames)
    {
        Span<float> f = _features;
        int o = 0;
        ReadOnlySpan<float> rows = _ordered.AsSpan(0, frames * RowWidth);
        // Spectral descriptors over non-silent frames: mean, SD, 10th/50th/90th percentile.
        for (int c = 0; c < DescriptorCount; c++)
        {
            int n = GatherColumn(rows, frames, c, validOnly: true);
            Statistics(_column.AsSpan(0, n), out f[o], out f[o + 1], out f[o + 2], out f[o + 3], out f[o + 4]);
            o += 5;
        }

        // Third-octave band levels relative to the window's in-band level (sum over the 22 bands).
        double total = 0;
        for (int b = 0; b < BandCount; b++)
        {
            double e = 0;
            for (int t = 0; t < frames; t++) e += rows[t * RowWidth + ColBands + b];
            f[o + b] = (float)e;
            total += e;
        }

        for (int b = 0; b < BandCount; b++)
        {
            double rel = total > 0 ? 10 * Math.Log10(Math.Max(f[o + b] / total, 1e-8)) : -80;
            f[o + b] = (float)rel;
        }

        o += BandCount;

        // MFCCs: mean and SD per coefficient, SD of the HTK deltas (Θ = 2) over the window's frames.
        for (int t = 0; t < frames; t++)
        {
            rows.Slice(t * RowWidth + ColMfcc, MfccCount).CopyTo(_mfccSeq.AsSpan(t * MfccCount));
        }

        MfccDeltas.Compute(_mfccSeq.AsSpan(0, frames * MfccCount), frames, MfccCount, 2, _deltaSeq.AsSpan(0, frames * MfccCount));
        for (int i = 0; i < MfccCount; i++)
        {
            MeanSd(_mfccSeq, frames, MfccCount, i, out f[o + i], out f[o + MfccCount + i]);
            MeanSd(_deltaSeq, frames, MfccCount, i, out _, out f[o + 2 * MfccCount + i]);
        }

        o += 3 * MfccCount;

        // Temporal.
        double sumMs = 0, maxLevel = double.NegativeInfinity;
        float peak = 0;
        for (int t = 0; t < frames; t++)
        {
            int r = t * RowWidth;
            sumMs += rows[r + ColMeanSquare];
            maxLevel = Math.Max(maxLevel, rows[r + ColLevel]);
            peak = MathF.Max(peak, rows[r + ColPeak]);
        }

        double leq = 10 * Math.Log10(sumMs / frames + 1e-12);
        int levels = GatherColumn(rows, frames, ColLevel, validOnly: false);
        Statistics(_column.AsSpan(0, levels), out _, out float levelSd, out float p10, out _, out float p90);
        int onsets = 0;
        int lastOnset = int.MinValue / 2;
        for (int t = _onsetSpan; t < frames; t++)
        {
            float level = rows[t * RowWidth + ColLevel];
            float lowest = level;
            for (int j = t - _onsetSpan; j < t; j++) lowest = MathF.Min(lowest, rows[j * RowWidth + ColLevel]);
            if (level - lowest >= OnsetRiseDb && level > SilenceLevelDb && t - lastOnset >= _refractoryFrames)
            {
                onsets++;
                lastOnset = t;
            }
        }

        f[o++] = (float)leq;
        f[o++] = levelSd;
        f[o++] = p90 - p10;
        f[o++] = (float)(peak > 0 ? 20 * Math.Log10(peak) - leq : 0);
        f[o++] = (float)(maxLevel - leq);
        f[o++] = (float)(onsets / (frames * FrameHopSeconds));

        // Tonality.
        int n2 = GatherColumn(rows, frames, ColProminence, validOnly: true);
        Statistics(_column.AsSpan(0, n2), out f[o], out _, out _, out _, out f[o + 1]);
        n2 = GatherColumn(rows, frames, ColHarmonicity, validOnly: true);
        Statistics(_column.AsSpan(0, n2), out f[o + 2], out _, out _, out _, out f[o + 3]);
        n2 = GatherColumn(rows, frames, ColPeakKhz, validOnly: true);
        Statistics(_column.AsSpan(0, n2), out _, out f[o + 5], out _, out f[o + 4], out _);
        o += 6;

        // Envelope modulation: frame RMS at 100 frames/s, mean removed, Hann-weighted DFT.
        for (int t = 0; t < frames; t++) _envelope[t] = (float)Math.Sqrt(rows[t * RowWidth + ColMeanSquare]);
        Modulation(_envelope.AsSpan(0, frames), out f[o], out f[o + 1], out f[o + 2], f.Slice(Version2FeatureCount - ModulationBandCount, ModulationBandCount));
        o += 3;

        // Version 2 features.
        o = AppendVersion2(rows, frames, f, o);
        o += ModulationBandCount;   // filled by Modulation above
        System.Diagnostics.Debug.Assert(o == Version2FeatureCount, "version-2 feature count");
        o = AppendVersion3(rows, frames, f, o);
        System.Diagnostics.Debug.Assert(o == OwnFeatureCount, "feature count");

        for (int i = 0; i < o; i++)
        {
            if (!float.IsFinite(f[i])) f[i] = 0;
        }

        AppendContext(f);

        _windowCount++;
        sink.OnWindow(startSample, (frames - 1) * _frameHop + _frameSize, f);
    }

    /// <summary>
    /// Spectral contrast, chroma, band-spectrum correlation, per-band level spread, tonality spread
    /// (definitions in docs/classification.md); returns the next feature index.
    /// </summary>
    private int AppendVersion2(ReadOnlySpan<float> rows, int frames, Span<float> f, int o)
    {
        // Spectral contrast per sub-band over non-silent frames: mean and SD (dB).
        for (int b = 0; b < ContrastBandCount; b++)
        {
            int n = GatherColumn(rows, frames, ColContrast + b, validOnly: true);
            Statistics(_column.AsSpan(0, n), out f[o + b], out f[o + ContrastBandCount + b], out _, out _, out _);
        }

        o += 2 * ContrastBandCount;

        // Chroma: mean frame entropy, peak share of the window's summed profile, mean frame-to-frame change.
        int n2 = GatherColumn(rows, frames, ColChromaEntropy, validOnly: true);
        Statistics(_column.AsSpan(0, n2), out f[o], out _, out _, out _, out _);
        Array.Clear(_chromaSum);
        double chromaTotal = 0, chromaFlux = 0;
        int fluxCount = 0, previous = -1;
        for (int t = 0; t < frames; t++)
        {
            int r = t * RowWidth;
            if (rows[r + ColValid] <= 0 || rows[r + ColChromaEntropy] <= 0) continue;
            double weight = rows[r + ColMeanSquare];
            for (int c = 0; c < ChromaCount; c++)
            {
                _chromaSum[c] += (float)(weight * rows[r + ColChroma + c]);
                chromaTotal += weight * rows[r + ColChroma + c];
            }

            if (previous >= 0)
            {
                double d = 0;
                for (int c = 0; c < ChromaCount; c++) d += Math.Abs(rows[r + ColChroma + c] - rows[previous + ColChroma + c]);
                chromaFlux += d / 2;
                fluxCount++;
            }

            previous = r;
        }

        float chromaMax = 0;
        for (int c = 0; c < ChromaCount; c++) chromaMax = MathF.Max(chromaMax, _chromaSum[c]);
        f[o + 1] = chromaTotal > 0 ? (float)(chromaMax / chromaTotal) : 0;
        f[o + 2] = fluxCount > 0 ? (float)(chromaFlux / fluxCount) : 0;
        o += 3;

        // Band levels per frame (dB), then the Pearson correlation of the 22-band spectra 1 and 25 frames apart.
        for (int t = 0; t < frames; t++)
        {
            for (int b = 0; b < BandCount; b++)
            {
                _bandDb[t * BandCount + b] = (float)(10 * Math.Log10(rows[t * RowWidth + ColBands + b] + 1e-12));
            }
        }

        f[o] = (float)MeanBandCorrelation(rows, frames, 1);
        f[o + 1] = (float)MeanBandCorrelation(rows, frames, LongCorrelationLagFrames);
        o += 2;

        // SD over frames of the level of four broad band groups (dB).
        for (int g = 0; g < BroadBandCount; g++)
        {
            for (int t = 0; t < frames; t++)
            {
                double e = 0;
                for (int b = BroadBandFirst[g]; b < BroadBandEnd[g]; b++) e += rows[t * RowWidth + ColBands + b];
                _column[t] = (float)(10 * Math.Log10(e + 1e-12));
            }

            Statistics(_column.AsSpan(0, frames), out _, out f[o + g], out _, out _, out _);
        }

        o += BroadBandCount;

        // Spread of the tonality measures.
        n2 = GatherColumn(rows, frames, ColHarmonicity, validOnly: true);
        Statistics(_column.AsSpan(0, n2), out _, out f[o], out _, out f[o + 1], out _);
        n2 = GatherColumn(rows, frames, ColProminence, validOnly: true);
        Statistics(_column.AsSpan(0, n2), out _, out f[o + 2], out _, out _, out _);
        return o + 3;
    }

    /// <summary>
    /// Version 3: structure of the window's mean power spectrum (steady tones survive the averaging, moving
    /// tones and noise fluctuations do not) and envelope modulation per broad band group; returns the next index.
    /// </summary>
    private int AppendVersion3(ReadOnlySpan<float> rows, int frames, Span<float> f, int o)
    {
        int bins = _analysisBins;
        Array.Clear(_ltas);
        for (int t = 0; t < frames; t++)
        {
            ReadOnlySpan<float> p = _spectra.AsSpan(t * bins, bins);
            for (int k = 0; k < bins; k++) _ltas[k] += p[k];
        }

        double logSum = 0, linSum = 0;
        for (int k = 0; k < bins; k++)
        {
            _ltas[k] /= frames;
            _ltasFloat[k] = (float)_ltas[k];
            if (k == 0) continue;
            logSum += Math.Log(_ltas[k] + 1e-20);
            linSum += _ltas[k] + 1e-20;
        }

        f[o] = linSum > 1e-18 * (bins - 1) ? (float)(Math.Exp(logSum / (bins - 1)) / (linSum / (bins - 1))) : 0;

        // Prominence of every local maximum over its neighbourhood (main lobe ±2 bins excluded), as for frames.
        double best = 0;
        int tonalPeaks = 0;
        for (int k = 3; k < bins - 1; k++)
        {
            if (!(_ltas[k] > _ltas[k - 1] && _ltas[k] >= _ltas[k + 1])) continue;
            double prominence = Prominence<double>(_ltas, k);
            if (prominence > best) best = prominence;
            if (prominence >= TonalPeakDb) tonalPeaks++;
        }

        f[o + 1] = (float)Math.Clamp(best, 0, 80);
        f[o + 2] = tonalPeaks;
        o += 3;
        Contrast(_ltasFloat, f.Slice(o, LtasContrastCount));
        o += LtasContrastCount;

        // Envelope modulation of each broad band group: depth (2–20 Hz) and the four modulation-band fractions.
        for (int g = 0; g < BroadBandCount; g++)
        {
            for (int t = 0; t < frames; t++)
            {
                double e = 0;
                for (int b = BroadBandFirst[g]; b < BroadBandEnd[g]; b++) e += rows[t * RowWidth + ColBands + b];
                _envelope[t] = (float)Math.Sqrt(e);
            }

            Modulation(_envelope.AsSpan(0, frames), out f[o], out _, out _, f.Slice(o + 1, ModulationBandCount));
            o += 1 + ModulationBandCount;
        }

        return o;
    }

    /// <summary>
    /// Context features: the mean of this window's own features and those of up to <see cref="ContextWindows"/> − 1
    /// earlier windows of the stream (fewer at its start), then this window joins the history.
    /// </summary>
    private void AppendContext(Span<float> f)
    {
        int own = OwnFeatureCount;
        int earlier = (int)Math.Min(_windowCount, ContextWindows - 1);
        Span<float> context = f.Slice(own, own);
        f[..own].CopyTo(context);
        for (int h = 0; h < earlier; h++)
        {
            ReadOnlySpan<float> past = _history.AsSpan(h * own, own);
            for (int i = 0; i < own; i++) context[i] += past[i];
        }

        float scale = 1f / (earlier + 1);
        for (int i = 0; i < own; i++) context[i] *= scale;
        if (ContextWindows > 1) f[..own].CopyTo(_history.AsSpan((int)(_windowCount % (ContextWindows - 1)) * own, own));
    }

    /// <summary>
    /// 10·log10 of power[k] over the mean power of bins k ± max(8, 150 Hz/Δf) (the main lobe, ±2 bins, left
    /// out; bins 1 … _analysisBins − 1 only), dB. Used for frame spectra (float) and the long-term spectrum (double).
    /// </summary>
    private double Prominence<T>(ReadOnlySpan<T> power, int k)
        where T : struct, System.Numerics.INumberBase<T>
    {
        double surround = 0;
        int count = 0;
        int lo = Math.Max(1, k - _prominenceHalfWidth), hi = Math.Min(_analysisBins - 1, k + _prominenceHalfWidth);
        for (int j = lo; j <= hi; j++)
        {
            if (Math.Abs(j - k) <= 2) continue;
            surround += double.CreateTruncating(power[j]);
            count++;
        }

        return 10 * Math.Log10((double.CreateTruncating(power[k]) + 1e-20) / (surround / Math.Max(count, 1) + 1e-20));
    }

    /// <summary>Mean over non-silent frame pairs (t, t + lag) of the Pearson correlation of their band levels (dB); 0 when no pair.</summary>
    private double MeanBandCorrelation(ReadOnlySpan<float> rows, int frames, int lag)
    {
        double sum = 0;
        int pairs = 0;
        for (int t = 0; t + lag < frames; t++)
        {
            if (rows[t * RowWidth + ColValid] <= 0 || rows[(t + lag) * RowWidth + ColValid] <= 0) continue;
            ReadOnlySpan<float> a = _bandDb.AsSpan(t * BandCount, BandCount), b = _bandDb.AsSpan((t + lag) * BandCount, BandCount);
            double ma = 0, mb = 0;
            for (int i = 0; i < BandCount; i++)
            {
                ma += a[i];
                mb += b[i];
            }

            ma /= BandCount;
            mb /= BandCount;
            double sab = 0, saa = 0, sbb = 0;
            for (int i = 0; i < BandCount; i++)
            {
                double da = a[i] - ma, db = b[i] - mb;
                sab += da * db;
                saa += da * da;
                sbb += db * db;
            }

            if (saa > 1e-12 && sbb > 1e-12)
            {
                sum += sab / Math.Sqrt(saa * sbb);
                pairs++;
            }
        }

        return pairs > 0 ? sum / pairs : 0;
    }

    private int GatherColumn(ReadOnlySpan<float> rows, int frames, int column, bool validOnly)
    {
        int n = 0;
        for (int t = 0; t < frames; t++)
        {
            int r = t * RowWidth;
            if (validOnly && rows[r + ColValid] <= 0) continue;
            _column[n++] = rows[r + column];
        }

        return n;
    }

    /// <summary>Mean, population SD and linearly interpolated percentiles; all 0 for an empty set. Sorts in place.</summary>
    private static void Statistics(Span<float> values, out float mean, out float sd, out float p10, out float p50, out float p90)
    {
        int n = values.Length;
        if (n == 0)
        {
            mean = sd = p10 = p50 = p90 = 0;
            return;
        }

        double sum = 0;
        for (int i = 0; i < n; i++) sum += values[i];
        double m = sum / n, ss = 0;
        for (int i = 0; i < n; i++) ss += (values[i] - m) * (values[i] - m);
        mean = (float)m;
        sd = (float)Math.Sqrt(ss / n);
        values.Sort();
        p10 = Percentile(values, 0.1);
        p50 = Percentile(values, 0.5);
        p90 = Percentile(values, 0.9);
    }

    private static float Percentile(ReadOnlySpan<float> sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int i = (int)Math.Floor(pos);
        if (i >= sorted.Length - 1) return sorted[^1];
        double frac = pos - i;
        return (float)(sorted[i] + frac * (sorted[i + 1] - sorted[i]));
    }

    private static void MeanSd(float[] matrix, int frames, int width, int column, out float mean, out float sd)
    {
        double sum = 0;
        for (int t = 0; t < frames; t++) sum += matrix[t * width + column];
        double m = sum / frames, ss = 0;
        for (int t = 0; t < frames; t++)
        {
            double d = matrix[t * width + column] - m;
            ss += d * d;
        }

        mean = (float)m;
        sd = (float)Math.Sqrt(ss / frames);
    }

    /// <summary>
    /// Envelope e_t = √(frame mean square). With Hann weights w_t and X_j = Σ w_t (e_t − ē) e^{−2πi j t / M},
    /// the one-sided power in 2–20 Hz is P = 2 Σ_j |X_j|² / (M Σ w²). depth = √(2P) / ē (the modulation index
    /// m of e = ē(1 + m cos 2πf t)); fraction = P / (AC power); peak = the strongest modulation frequency.
    /// </summary>
    private void Modulation(ReadOnlySpan<float> envelope, out float depth, out float fraction, out float peakHz, Span<float> bandFractions)
    {
        depth = fraction = peakHz = 0;
        bandFractions.Clear();
        int frames = envelope.Length;
        if (frames < 8) return;
        double mean = 0;
        for (int t = 0; t < frames; t++) mean += envelope[t];

        mean /= frames;
        if (mean <= 1e-9) return;
        Span<double> weighted = _weightedEnvelope.AsSpan(0, frames);
        double sumW2 = 0, acPower = 0;
        for (int t = 0; t < frames; t++)
        {
            double w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * t / frames);
            double v = w * (envelope[t] - mean);
            weighted[t] = v;
            sumW2 += w * w;
            acPower += v * v;
        }

        if (sumW2 <= 0) return;
        acPower /= sumW2;
        double frameRate = 1.0 / FrameHopSeconds;
        ModulationBins(frames, out int jLo, out int jHi, out int jTop);

        // A full window uses the twiddles computed at construction (the same expressions, so the same values).
        bool tabled = frames == _windowFrames;
        double band = 0, best = 0;
        int bestJ = 0;
        for (int j = jLo; j <= Math.Max(jHi, jTop); j++)
        {
            double re = 0, im = 0;
            if (tabled)
            {
                ReadOnlySpan<double> cos = _modulationCos.AsSpan((j - jLo) * frames, frames), sin = _modulationSin.AsSpan((j - jLo) * frames, frames);
                for (int t = 0; t < frames; t++)
                {
                    re += weighted[t] * cos[t];
                    im -= weighted[t] * sin[t];
                }
            }
            else
            {
                for (int t = 0; t < frames; t++)
                {
                    double a = 2 * Math.PI * j * t / frames;
                    re += weighted[t] * Math.Cos(a);
                    im -= weighted[t] * Math.Sin(a);
                }
            }

            double p = 2 * (re * re + im * im) / (frames * sumW2);
            double hz = j * frameRate / frames;
            for (int m = 0; m < ModulationBandCount; m++)
            {
                if (hz >= ModulationBandEdgesHz[m] && hz < ModulationBandEdgesHz[m + 1]) bandFractions[m] += (float)p;
            }

            if (j > jHi) continue;
            band += p;
            if (p > best)
            {
                best = p;
                bestJ = j;
            }
        }

        for (int m = 0; m < ModulationBandCount; m++)
        {
            bandFractions[m] = acPower > 1e-12 * mean * mean ? (float)Math.Min(1, bandFractions[m] / acPower) : 0;
        }

        depth = (float)(Math.Sqrt(2 * band) / mean);
        fraction = acPower > 1e-12 * mean * mean ? (float)Math.Min(1, band / acPower) : 0;
        peakHz = (float)(bestJ * frameRate / frames);
    }

    /// <summary>Envelope DFT bins of the modulation features for a window of <paramref name="frames"/> frames: first, last of 2–20 Hz, last below 32 Hz.</summary>
    private static void ModulationBins(int frames, out int jLo, out int jHi, out int jTop)
    {
        double frameRate = 1.0 / FrameHopSeconds;
        jLo = (int)Math.Ceiling(ModulationLowHz * frames / frameRate);
        jHi = Math.Min(frames / 2 - 1, (int)Math.Floor(ModulationHighHz * frames / frameRate));
        jTop = Math.Min(frames / 2 - 1, (int)Math.Ceiling(ModulationBandEdgesHz[^1] * frames / frameRate) - 1);
    }

    /// <summary>
    /// Band energies from the power spectrum: each bin k stands for [(k−½)Δf, (k+½)Δf] and contributes the
    /// fraction of that interval inside the band [fm·10^(−1/20), fm·10^(1/20)], so narrow low bands still
    /// get their share of a coarse bin.
    /// </summary>
    private static (int[] First, float[][] Weights) BuildBands(double binHz, int bins)
    {
        var first = new int[BandCount];
        var weights = new float[BandCount][];
        for (int b = 0; b < BandCount; b++)
        {
            double fm = 1000 * Math.Pow(10, (FirstBandIndex + b) / 10.0);
            double lo = fm * Math.Pow(10, -0.05), hi = fm * Math.Pow(10, 0.05);
            int k0 = Math.Max(0, (int)Math.Floor(lo / binHz + 0.5));
            int k1 = Math.Min(bins - 1, (int)Math.Ceiling(hi / binHz - 0.5));
            var w = new float[k1 - k0 + 1];
            for (int k = k0; k <= k1; k++)
            {
                double a = Math.Max(lo, (k - 0.5) * binHz), z = Math.Min(hi, (k + 0.5) * binHz);
                w[k - k0] = (float)Math.Max(0, (z - a) / binHz);
            }

            first[b] = k0;
            weights[b] = w;
        }

        return (first, weights);
    }

    private static string[] BuildNames()
    {
        var names = new List<string>();
        foreach (string d in DescriptorNames)
        {
            foreach (string s in new[] { "mean", "sd", "p10", "p50", "p90" }) names.Add($"{d}_{s}");
        }

        foreach (int fc in new[] { 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300 })
        {
            names.Add(string.Create(CultureInfo.InvariantCulture, $"band_{fc}hz_rel_db"));
        }

        for (int i = 0; i < MfccCount; i++) names.Add(string.Create(CultureInfo.InvariantCulture, $"mfcc{i}_mean"));
        for (int i = 0; i < MfccCount; i++) names.Add(string.Create(CultureInfo.InvariantCulture, $"mfcc{i}_sd"));
        for (int i = 0; i < MfccCount; i++) names.Add(string.Create(CultureInfo.InvariantCulture, $"mfcc{i}_delta_sd"));
        names.AddRange(["leq_dbfs", "level_sd_db", "level_p90_minus_p10_db", "crest_factor_db", "max_frame_level_minus_leq_db", "onset_rate_hz"]);
        names.AddRange(["peak_prominence_db_mean", "peak_prominence_db_p90", "harmonicity_mean", "harmonicity_p90", "peak_frequency_khz_p50", "peak_frequency_khz_sd"]);
        names.AddRange(["modulation_depth_2_20hz", "modulation_fraction_2_20hz", "modulation_peak_hz"]);

        // Version 2.
        string[] contrastBands = ["0_200hz", "200_400hz", "400_800hz", "800_1600hz", "1600_3200hz", "3200_8000hz"];
        foreach (string b in contrastBands) names.Add($"contrast_{b}_db_mean");
        foreach (string b in contrastBands) names.Add($"contrast_{b}_db_sd");
        names.AddRange(["chroma_entropy_bits_mean", "chroma_peak_share", "chroma_change_mean"]);
        names.AddRange(["band_spectrum_corr_10ms", "band_spectrum_corr_250ms"]);
        names.AddRange(["level_sd_50_160hz_db", "level_sd_200_630hz_db", "level_sd_800_2500hz_db", "level_sd_3150_6300hz_db"]);
        names.AddRange(["harmonicity_sd", "harmonicity_p50", "peak_prominence_db_sd"]);
        names.AddRange(["modulation_fraction_2_4hz", "modulation_fraction_4_8hz", "modulation_fraction_8_16hz", "modulation_fraction_16_32hz"]);

        // Version 3.
        names.AddRange(["ltas_flatness", "ltas_peak_prominence_db", "ltas_tonal_peaks"]);
        foreach (string b in contrastBands) names.Add($"ltas_contrast_{b}_db");
        foreach (string g in new[] { "50_160hz", "200_630hz", "800_2500hz", "3150_6300hz" })
        {
            names.Add($"modulation_depth_{g}");
            foreach (string m in new[] { "2_4hz", "4_8hz", "8_16hz", "16_32hz" }) names.Add($"modulation_fraction_{g}_{m}");
        }

        int own = names.Count;
        for (int i = 0; i < own; i++) names.Add("context_" + names[i]);
        return names.ToArray();
    }
}
