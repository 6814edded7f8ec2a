using AcousticCore.Audio;
using AcousticCore.Dsp;
using AcousticCore.Features;
using AcousticCore.Levels;

namespace AcousticCore.Pipeline;

/// <summary>Receives the records of a <see cref="StreamAnalyzer"/> as soon as each is complete.</summary>
public interface IAnalysisSink
{
    /// <summary>An interval of one channel is complete.</summary>
    /// <param name="record">The <c>interval</c> record.</param>
    /// <param name="lastSampleTimestamp">Stopwatch timestamp at which the interval's last sample arrived.</param>
    void OnInterval(ResultRecord record, long lastSampleTimestamp);

    /// <summary>The whole-stream <c>summary</c> record of one channel.</summary>
    void OnSummary(ResultRecord record);
}

/// <summary>
/// The analyse chain for one stream: a sound-level meter for all channels side by side (A/C/Z, time
/// weighting, bands) and per channel an STFT framer whose shared spectrum feeds the spectral descriptors; records per interval and
/// per stream. Processes blocks in order on one thread; output does not depend on block sizes.
/// </summary>
/// <remarks>Allocates at construction and once per interval record; nothing per frame.</remarks>
public sealed class StreamAnalyzer
{
    private readonly AudioFormat _format;
    private readonly AnalysisOptions _options;
    private readonly string _sourceName;
    private readonly ChannelChain[] _channels;
    private readonly MultiChannelSoundLevelMeter _meter;
    private readonly float[][] _buffers;   // each channel's frame buffer, for the de-interleave
    private readonly long _intervalSamples;
    private long _position;          // samples per channel consumed
    private long _intervalStart;     // first sample of the open interval
    private bool _completed;

    /// <summary>Builds the chain for a stream of <paramref name="format"/>.</summary>
    public StreamAnalyzer(AudioFormat format, AnalysisOptions options, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sourceName);
        options.Stft.Validate();
        _format = format;
        _options = options;
        _sourceName = sourceName;
        _intervalSamples = options.IntervalSamples(format.SampleRate);
        _meter = new MultiChannelSoundLevelMeter(format.SampleRate, format.Channels, new SoundLevelMeterOptions
        {
            CalibrationOffsetDb = options.CalibrationOffsetDb,
            IncludeBands = options.IncludeBands,
        });
        _channels = new ChannelChain[format.Channels];
        // Channel 0's FFT plan, window, tables and scratch buffers serve every channel (they run in turn).
        for (int c = 0; c < _channels.Length; c++) _channels[c] = new ChannelChain(c, format.SampleRate, options, _meter.Bands.Count, c == 0 ? null : _channels[0]);
        _buffers = new float[_channels.Length][];
        for (int c = 0; c < _channels.Length; c++) _buffers[c] = _channels[c].Framer.Buffer;
    }

    /// <summary>Third-octave bands reported (empty when bands are off).</summary>
    public IReadOnlyList<ThirdOctaveBand> Bands => _meter.Bands;

    /// <summary>Samples per channel processed so far.</summary>
    public long SamplesProcessed => _position;

    /// <summary>Processes interleaved frames; emits every interval that completes inside this block.</summary>
    /// <param name="interleaved">Whole sample frames, channel-interleaved.</param>
    /// <param name="arrivalTimestamp">Stopwatch timestamp at which this block arrived.</param>
    /// <param name="sink">Receives completed interval records.</param>
    public void Process(ReadOnlySpan<float> interleaved, long arrivalTimestamp, IAnalysisSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_completed) throw new InvalidOperationException("The stream was already completed.");
        int channels = _format.Channels;
        if (interleaved.Length % channels != 0)
        {
            throw new ArgumentException($"Block length {interleaved.Length} is not a whole number of {channels}-channel frames.", nameof(interleaved));
        }

        int frames = interleaved.Length / channels;
        int offset = 0;
        while (offset < frames)
        {
            long untilBoundary = _intervalStart + _intervalSamples - _position;
            int take = (int)Math.Min(frames - offset, untilBoundary);
            ProcessPiece(interleaved.Slice(offset * channels, take * channels), take);
            offset += take;
            if (_position == _intervalStart + _intervalSamples)
            {
                EmitIntervals(arrivalTimestamp, sink);
            }
        }
    }

    /// <summary>Ends the stream: emits the last, partial interval (if any samples) and the summaries.</summary>
    public void Complete(long arrivalTimestamp, IAnalysisSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (_completed) return;
        _completed = true;
        if (_position > _intervalStart) EmitIntervals(arrivalTimestamp, sink);
        foreach (var ch in _channels)
        {
            _meter.GetSummary(ch.Index, ch.Values);
            sink.OnSummary(BuildRecord("summary", ch, 0, (double)_position / _format.SampleRate, ch.Total));
        }
    }

    private void ProcessPiece(ReadOnlySpan<float> interleaved, int frames)
    {
        int channels = _format.Channels;
        _meter.Process(interleaved);
        if (channels == 1)
        {
            _channels[0].Framer.Push(interleaved, _channels[0]);
        }
        else
        {
            // One transposing pass (eight channels at a time in registers) straight into the framers'
            // buffers beats each framer picking its channel out of the interleaved block. The framers
            // share frame size and hop, so they complete frames at the same samples.
            var first = _channels[0].Framer;
            for (int done = 0; done < frames;)
            {
                int take = Math.Min(frames - done, first.Writable);
                Deinterleave.Run(interleaved.Slice(done * channels, take * channels), channels, take, _buffers, first.Fill);
                foreach (var ch in _channels) ch.Framer.Commit(take, ch);
                done += take;
            }
        }

        _position += frames;
    }

    private void EmitIntervals(long arrivalTimestamp, IAnalysisSink sink)
    {
        double timeS = (double)_intervalStart / _format.SampleRate;
        double durationS = (double)(_position - _intervalStart) / _format.SampleRate;
        foreach (var ch in _channels)
        {
            _meter.CompleteInterval(ch.Index, ch.Values);
            var record = BuildRecord("interval", ch, timeS, durationS, ch.Interval);
            ch.Interval.Clear();
            sink.OnInterval(record, arrivalTimestamp);
        }

        _intervalStart = _position;
    }

    private ResultRecord BuildRecord(string kind, ChannelChain ch, double timeS, double durationS, DescriptorAccumulator acc)
    {
        var v = ch.Values;
        var r = new ResultRecord(kind)
            .Add("file", _sourceName)
            .Add("channel", (long)ch.Index)
            .Add("time_s", timeS)
            .Add("duration_s", durationS)
            .Add("laeq_db", v.LAeqDb)
            .Add("lceq_db", v.LCeqDb)
            .Add("lzeq_db", v.LZeqDb)
            .Add("lafmax_db", v.LAFmaxDb)
            .Add("lafmin_db", v.LAFminDb)
            .Add("lcpeak_db", v.LCpeakDb)
            .Add("la10_db", kind == "summary" ? v.LA10Db : double.NaN)
            .Add("la50_db", kind == "summary" ? v.LA50Db : double.NaN)
            .Add("la90_db", kind == "summary" ? v.LA90Db : double.NaN);
        acc.AddTo(r, _options.CalibrationOffsetDb);
        var bands = _meter.Bands;
        for (int b = 0; b < bands.Count; b++) r.Add(AnalysisFields.Band(bands[b]), v.BandLeqDb[b]);
        return r;
    }

    private sealed class ChannelChain : IFrameAnalyser
    {
        private readonly SpectralDescriptorCalculator _descriptors;

        public ChannelChain(int index, int sampleRate, AnalysisOptions options, int bandCount, ChannelChain? shareWith)
        {
            Index = index;
            Framer = new StftFramer(index, sampleRate, options.Stft, shareWith?.Framer);
            _descriptors = new SpectralDescriptorCalculator(options.Stft.FrameSize, allowWide: true, shareWith?._descriptors);
            Values = new LevelValues(bandCount);
        }

        public int Index { get; }

        public StftFramer Framer { get; }

        public LevelValues Values { get; }

        public DescriptorAccumulator Interval { get; } = new();

        public DescriptorAccumulator Total { get; } = new();

        public void OnFrame(in Frame frame)
        {
            _descriptors.Compute(frame.Samples, frame.Power, frame.BinHz, out var d);
            Interval.Add(d);
            Total.Add(d);
        }
    }

    /// <summary>Means of per-frame descriptors; each value averages only the frames where it is defined.</summary>
    private sealed class DescriptorAccumulator
    {
        private const int Count = 9;
        private readonly double[] _sum = new double[Count];
        private readonly long[] _n = new long[Count];

        public void Add(in SpectralDescriptorValues d)
        {
            Put(0, d.CentroidHz);
            Put(1, d.SpreadHz);
            Put(2, d.Flatness);
            Put(3, d.RolloffHz);
            Put(4, d.Flux);
            Put(5, d.Crest);
            Put(6, d.Slope);
            Put(7, d.ZeroCrossingRate);
            Put(8, d.MeanSquare);
        }

        public void Clear()
        {
            Array.Clear(_sum);
            Array.Clear(_n);
        }

        public void AddTo(ResultRecord r, double calibrationOffsetDb)
        {
            for (int i = 0; i < Count - 1; i++) r.Add(AnalysisFields.Spectral[i], Mean(i));
            // rms_db: energy mean over frames, AES17 (full-scale sine = 0 dB), plus calibration.
            double meanSquare = Mean(8);
            r.Add("rms_db", _n[8] == 0 ? double.NaN : 10 * Math.Log10(meanSquare / 0.5) + calibrationOffsetDb);
        }

        private double Mean(int i) => _n[i] == 0 ? double.NaN : _sum[i] / _n[i];

        private void Put(int i, double value)
        {
            if (double.IsFinite(value))
            {
                _sum[i] += value;
                _n[i]++;
            }
        }
    }
}
