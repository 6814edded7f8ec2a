using System.Diagnostics;
using AcousticCore.Arrays;
using AcousticCore.Audio;
using AcousticCore.Classification;
using AcousticCore.Pipeline;

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
    private long _arrival;

    public StreamClassifyObserver(ClassifierModel model, AudioFormat format, IRecordWriter writer, string name)
    {
        _classifier = new AudioClassifier(model, format.SampleRate, format.Channels);
        _writer = writer;
        _name = name;
    }

    public void OnBlock(ReadOnlySpan<float> interleaved, long arrivalTimestamp)
    {
        _arrival = arrivalTimestamp;
        _classifier.Push(interleaved, this);
    }

    public void OnEnd(long arrivalTimestamp)
    {
        _arrival = arrivalTimestamp;
        _classifier.Complete(this);
        var summary = new ResultRecord("summary").Add("analysis", "classify").Add("file", _name);
        if (_classifier.GetSummary() is { } s)
        {
            summary.Add("label", s.Label).Add("confidence", Math.Round(s.Confidence, 4)).Add("windows", s.Windows);
        }
        else
        {
            summary.Add("label", (string?)null).AddNull("confidence").Add("windows", 0L);
        }

        _writer.Write(summary);
        _writer.Flush();
    }

    public void OnWindow(in WindowClassification window)
    {
        ReadOnlySpan<float> p = window.Probabilities;
        int second = -1, third = -1;
        for (int i = 0; i < p.Length; i++)
        {
            if (i == window.BestClass) continue;
            if (second < 0 || p[i] > p[second])
            {
                third = second;
                second = i;
            }
            else if (third < 0 || p[i] > p[third])
            {
                third = i;
            }
        }

        var classes = _classifier.Model.Classes;
        var r = new ResultRecord("window").Add("analysis", "classify").Add("file", _name)
            .Add("time_s", Math.Round(window.TimeSeconds, 4))
            .Add("duration_s", Math.Round(window.DurationSeconds, 4))
            .Add("label", window.Label)
            .Add("confidence", Math.Round(window.Confidence, 4));
        if (second >= 0) r.Add("label_2", classes[second]).Add("p_2", Math.Round(p[second], 4));
        if (third >= 0) r.Add("label_3", classes[third]).Add("p_3", Math.Round(p[third], 4));
        r.Add("latency_ms", Stopwatch.GetElapsedTime(_arrival).TotalMilliseconds);
        _writer.Write(r);
        _writer.Flush();
    }
}
