using System.Diagnostics;
using AcousticCore.Arrays;
using AcousticCore.Audio;
using AcousticCore.Classification;
using AcousticCore.Pipeline;
using AcousticCore.Voice;

namespace AcousticCore.Cli.Commands;

/// <summary>
/// Direction of arrival on the raw array blocks of <c>acoustic stream --geometry</c>: one
/// <c>window</c> record per window (<c>"analysis":"doa"</c>) and a <c>summary</c> with the dominant direction.
/// </summary>
internal sealed class StreamDoaObserver : IAudioBlockObserver, IDoaWindowSink
{
    private readonly DoaWindowAnalyzer _analyzer;
    private readonly IRecordWriter _writer;
    private readonly string _name;
    private readonly int _rate;
    private long _arrival;

    public StreamDoaObserver(ArrayGeometry geometry, int sampleRate, double windowSeconds, IRecordWriter writer, string name)
    {
        _analyzer = new DoaWindowAnalyzer(geometry, sampleRate, windowSeconds, tracking: new DirectionTrackerOptions());
        _writer = writer;
        _name = name;
        _rate = sampleRate;
    }

    public void OnBlock(ReadOnlySpan<float> interleaved, long arrivalTimestamp)
    {
        _arrival = arrivalTimestamp;
        _analyzer.Push(interleaved, this);
    }

    public void OnEnd(long arrivalTimestamp)
    {
        _arrival = arrivalTimestamp;
        _analyzer.Finish(this);
        var summary = new ResultRecord("summary").Add("analysis", "doa").Add("file", _name)
            .Add("duration_s", (double)_analyzer.SamplesSeen / _rate).Add("windows", _analyzer.Windows);
        if (_analyzer.Dominant() is { } d)
        {
            summary.Add("azimuth_deg", Math.Round(d.AzimuthDeg, 2));
            if (_analyzer.Locator.ReportsElevation) summary.Add("elevation_deg", Math.Round(d.ElevationDeg, 2));
            summary.Add("power", Math.Round(d.Power, 4));
        }
        else
        {
            summary.AddNull("azimuth_deg").AddNull("power");
        }

        _writer.Write(summary);
        _writer.Flush();
    }

    public void OnWindow(in DoaWindow window, ReadOnlySpan<DoaEstimate> peaks)
    {
        var r = new ResultRecord("window").Add("analysis", "doa").Add("file", _name)
            .Add("time_s", (double)window.StartSample / _rate)
            .Add("duration_s", (double)window.LengthSamples / _rate);
        if (peaks.Length > 0)
        {
            r.Add("azimuth_deg", Math.Round(peaks[0].AzimuthDeg, 2));
            if (_analyzer.Locator.ReportsElevation) r.Add("elevation_deg", Math.Round(peaks[0].ElevationDeg, 2));
            r.Add("power", Math.Round(peaks[0].Power, 4));
        }
        else
        {
            r.AddNull("azimuth_deg").AddNull("power");
        }

        r.Add("tracked_azimuth_deg", Math.Round(window.Tracked.AzimuthDeg, 2));
        r.Add("latency_ms", Stopwatch.GetElapsedTime(_arrival).TotalMilliseconds);
        _writer.Write(r);
        _writer.Flush();
    }
}

/// <summary>
/// Classification of the analysed stream (the beam when <c>--beamform</c> is given) for
/// <c>acoustic stream --classify</c>: <c>window</c> records (<c>"analysis":"classify"</c>) with the
/// top three classes, and a <c>summary</c> with the dominant class.
/// </summary>
internal sealed class StreamClassifyObserver : IAudioBlockObserver, IWindowClassificationSink
{
    private readonly AudioClassifier _classifier;
    private readonly IRecordWriter _writer;
    private readonly string _name;
    private readonly AudioFormat _format;
    private long _arrival, _framesSeen;
    private double _endSeconds;

    public StreamClassifyObserver(ClassifierModel model, AudioFormat format, IRecordWriter writer, string name)
    {
        _classifier = new AudioClassifier(model, format.SampleRate, format.Channels);
        _writer = writer;
        _name = name;
        _format = format;
    }

    public void OnBlock(ReadOnlySpan<float> interleaved, long arrivalTimestamp)
    {
        _arrival = arrivalTimestamp;
        _framesSeen += interleaved.Length / _format.Channels;
        _classifier.Push(interleaved, this);
    }

    public void OnEnd(long arrivalTimestamp)
    {
        _arrival = arrivalTimestamp;
        _classifier.Complete(this);
        // The same fields as classify's summary: time_s 0, duration_s the end of the last window (or of the audio).
        var summary = new ResultRecord("summary").Add("analysis", "classify").Add("file", _name).Add("time_s", 0.0);
        if (_classifier.GetSummary() is { } s)
        {
            summary.Add("duration_s", _endSeconds)
                .Add("label", s.Label).Add("confidence", Math.Round(s.Confidence, 4)).Add("windows", s.Windows);
        }
        else
        {
            summary.Add("duration_s", (double)_framesSeen / _format.SampleRate)
                .Add("label", (string?)null).AddNull("confidence").Add("windows", 0L);
        }

        _writer.Write(summary);
        _writer.Flush();
    }

    public void OnWindow(in WindowClassification window)
    {
        _endSeconds = window.TimeSeconds + window.DurationSeconds;
        var r = ClassifyCommand.WindowRecord(window, _name, _classifier.Model).Add("analysis", "classify");
        r.Add("latency_ms", Stopwatch.GetElapsedTime(_arrival).TotalMilliseconds);
        _writer.Write(r);
        _writer.Flush();
    }
}

/// <summary>
/// Voice features for <c>acoustic stream --voice-features</c>. Praat's path finder and silence
/// threshold need a whole sound, so the (mono-mixed) stream is analysed in consecutive chunks of
/// bounded length: <c>segment</c> records (<c>"analysis":"voice"</c>) with stream times, and one
/// <c>summary</c> per chunk. A voiced segment that crosses a chunk boundary is split there.
/// </summary>
internal sealed class StreamVoiceObserver : IAudioBlockObserver
{
    private readonly float[] _chunk;
    private readonly int _channels;
    private readonly int _rate;
    private readonly IRecordWriter _writer;
    private readonly string _name;
    private int _count;
    private long _chunkStart;

    public StreamVoiceObserver(AudioFormat format, double chunkSeconds, IRecordWriter writer, string name)
    {
        _channels = format.Channels;
        _rate = format.SampleRate;
        _chunk = new float[(int)Math.Round(chunkSeconds * format.SampleRate)];
        _writer = writer;
        _name = name;
    }

    public void OnBlock(ReadOnlySpan<float> interleaved, long arrivalTimestamp)
    {
        int frames = interleaved.Length / _channels;
        float scale = 1f / _channels;
        for (int i = 0; i < frames; i++)
        {
            float sum = 0;
            for (int c = 0; c < _channels; c++) sum += interleaved[(i * _channels) + c];
            _chunk[_count++] = sum * scale;
            if (_count == _chunk.Length) AnalyseChunk();
        }
    }

    public void OnEnd(long arrivalTimestamp)
    {
        // Praat needs a few periods at the 75 Hz floor; shorter tails carry no voice information.
        if (_count >= _rate / 10) AnalyseChunk();
    }

    private void AnalyseChunk()
    {
        double offset = (double)_chunkStart / _rate;
        var analysis = VoiceAnalyzer.Analyze(_chunk.AsSpan(0, _count), _rate);
        foreach (var segment in analysis.Segments)
        {
            var r = segment.ToRecord("segment", _name);
            r.Set("time_s", offset + segment.StartSeconds);
            _writer.Write(r.Add("analysis", "voice"));
        }

        var summary = analysis.Summary.ToRecord("summary", _name);
        summary.Set("time_s", offset + analysis.Summary.StartSeconds);
        _writer.Write(summary.Add("analysis", "voice"));
        _writer.Flush();
        _chunkStart += _count;
        _count = 0;
    }
}
