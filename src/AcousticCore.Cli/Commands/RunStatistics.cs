using System.Diagnostics;
using System.Globalization;

namespace AcousticCore.Cli.Commands;

/// <summary>Wall, CPU and memory figures of one command run, printed by <c>--stats</c>.</summary>
internal sealed class RunStatistics
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly TimeSpan _startCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private long _peakManagedBytes;
    private long _peakLiveBytes;
    private int _collections = -1;

    public double AudioSeconds { get; private set; }

    public double ChannelSeconds { get; private set; }

    public void AddAudio(double seconds, int channels)
    {
        AudioSeconds += seconds;
        ChannelSeconds += seconds * channels;
    }

    /// <summary>Samples the managed heap size; cheap enough to call once per block.</summary>
    public void SampleMemory()
    {
        long now = GC.GetTotalMemory(false);
        if (now > _peakManagedBytes) _peakManagedBytes = now;
        // Heap size right after a collection is what stays live (the peak above includes garbage
        // waiting for the next gen-0 collection); read only when a collection has happened.
        int collections = GC.CollectionCount(0);
        if (collections != _collections)
        {
            _collections = collections;
            long live = GC.GetGCMemoryInfo().HeapSizeBytes;
            if (live > _peakLiveBytes) _peakLiveBytes = live;
        }
    }

    public void Print(TextWriter error)
    {
        SampleMemory();
        double wall = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - _startCpu).TotalSeconds;
        var c = CultureInfo.InvariantCulture;
        error.WriteLine(string.Create(c, $"stats: audio_s={AudioSeconds:F3} channel_s={ChannelSeconds:F3} wall_s={wall:F3} cpu_s={cpu:F3} realtime_factor={(wall > 0 ? AudioSeconds / wall : 0):F1} channel_s_per_wall_s={(wall > 0 ? ChannelSeconds / wall : 0):F1} peak_managed_mb={_peakManagedBytes / 1048576.0:F1} peak_live_managed_mb={_peakLiveBytes / 1048576.0:F1} gc_count={GC.CollectionCount(0)} peak_working_set_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F1}"));
    }
}

/// <summary>A one-line progress bar on stderr, drawn only on a terminal and at most 10 times a second.</summary>
internal sealed class ProgressBar(TextWriter error, bool enabled)
{
    private long _lastDraw;
    private bool _drawn;

    public void Report(string label, double fraction)
    {
        if (!enabled) return;
        long now = Stopwatch.GetTimestamp();
        if (_drawn && Stopwatch.GetElapsedTime(_lastDraw, now).TotalMilliseconds < 100) return;
        _lastDraw = now;
        _drawn = true;
        int width = 30;
        int filled = (int)Math.Clamp(fraction * width, 0, width);
        string name = label.Length > 40 ? "…" + label[^39..] : label;
        error.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string(' ', width - filled)}] {fraction * 100,5:F1}% {name}"));
    }

    public void Clear()
    {
        if (!enabled || !_drawn) return;
        error.Write("\r" + new string(' ', 80) + "\r");
        _drawn = false;
    }
}
