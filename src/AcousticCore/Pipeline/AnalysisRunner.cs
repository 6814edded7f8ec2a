using System.Diagnostics;
using AcousticCore.Audio;

namespace AcousticCore.Pipeline;

/// <summary>Drives a <see cref="StreamAnalyzer"/> from an <see cref="IAudioSource"/> until the end of the stream.</summary>
public static class AnalysisRunner
{
    /// <summary>Frames read per block (per channel); small enough for low latency, large enough for throughput.</summary>
    public const int BlockFrames = 4096;

    /// <summary>Reads <paramref name="source"/> to its end and sends every record to <paramref name="sink"/>.</summary>
    /// <param name="source">The audio to analyse.</param>
    /// <param name="options">Chain settings.</param>
    /// <param name="sink">Receives interval and summary records.</param>
    /// <param name="progress">Optional: called after each block with samples per channel processed.</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    /// <returns>Samples per channel processed.</returns>
    public static long Run(IAudioSource source, AnalysisOptions options, IAnalysisSink sink,
        Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        var analyzer = new StreamAnalyzer(source.Format, options, source.Name);
        var block = new float[BlockFrames * source.Format.Channels];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = source.Read(block);
            long arrival = Stopwatch.GetTimestamp();
            if (n == 0)
            {
                analyzer.Complete(arrival, sink);
                return analyzer.SamplesProcessed;
            }

            analyzer.Process(block.AsSpan(0, n), arrival, sink);
            progress?.Invoke(analyzer.SamplesProcessed);
        }
    }
}

/// <summary>Collects records in memory (tests, small files).</summary>
public sealed class CollectingAnalysisSink : IAnalysisSink
{
    /// <summary>Interval records in arrival order.</summary>
    public List<ResultRecord> Intervals { get; } = new();

    /// <summary>Summary records, one per channel.</summary>
    public List<ResultRecord> Summaries { get; } = new();

    /// <inheritdoc />
    public void OnInterval(ResultRecord record, long lastSampleTimestamp) => Intervals.Add(record);

    /// <inheritdoc />
    public void OnSummary(ResultRecord record) => Summaries.Add(record);
}
