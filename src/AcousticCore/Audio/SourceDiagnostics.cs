using System.Globalization;

namespace AcousticCore.Audio;

/// <summary>Mutable store behind <see cref="IAudioSourceDiagnostics"/>; bounded so a hostile stream cannot grow it.</summary>
internal sealed class SourceDiagnostics
{
    /// <summary>More warnings than this are counted, not stored: a warning is an exception to the rule, not a log.</summary>
    internal const int MaxWarnings = 32;

    private readonly List<string> _warnings = new();
    private int _suppressed;

    internal SourceDiagnostics(string sourceName) => SourceName = sourceName;

    internal string SourceName { get; }

    internal long NonFiniteSamplesReplaced { get; set; }

    internal IReadOnlyList<string> Warnings => _warnings;

    internal void Warn(string problem, long? byteOffset = null)
    {
        if (_warnings.Count < MaxWarnings - 1)
        {
            _warnings.Add(byteOffset is { } o
                ? string.Create(CultureInfo.InvariantCulture, $"{SourceName}: {problem} (at byte {o})")
                : $"{SourceName}: {problem}");
            return;
        }

        _suppressed++;
        string summary = string.Create(CultureInfo.InvariantCulture, $"{SourceName}: {_suppressed} further warning(s) suppressed");
        if (_warnings.Count == MaxWarnings) _warnings[MaxWarnings - 1] = summary;
        else _warnings.Add(summary);
    }
}
