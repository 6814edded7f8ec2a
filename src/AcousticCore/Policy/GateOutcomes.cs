namespace AcousticCore.Policy;

/// <summary>Score of one named subject in an identification.</summary>
public sealed class SubjectScore
{
    internal SubjectScore(string subject, bool enrolled, double scoreLlr, bool isMatch)
    {
        Subject = subject;
        Enrolled = enrolled;
        ScoreLlr = scoreLlr;
        IsMatch = isMatch;
    }

    /// <summary>A subject named by the grant.</summary>
    public string Subject { get; }

    /// <summary>False when no live voiceprint of this subject exists for the grant's case; then the score is NaN.</summary>
    public bool Enrolled { get; }

    /// <summary>Log-likelihood ratio of the audio against the subject's voiceprint vs the background model.</summary>
    public double ScoreLlr { get; }

    /// <summary>True when <see cref="ScoreLlr"/> is at or above the engine's decision threshold.</summary>
    public bool IsMatch { get; }
}

/// <summary>Outcome of an enrolment through the gate: allowed, or refused with a reason.</summary>
public sealed class EnrolmentOutcome
{
    internal EnrolmentOutcome(RefusalReason reason, string detail, string subject, double audioSeconds, int usesRemaining)
    {
        Reason = reason;
        Detail = detail;
        Subject = subject;
        AudioDurationSeconds = audioSeconds;
        UsesRemaining = usesRemaining;
    }

    /// <summary>True when the voiceprint was built and stored.</summary>
    public bool IsAllowed => Reason == RefusalReason.None;

    /// <summary>Why it was refused (<see cref="RefusalReason.None"/> when allowed).</summary>
    public RefusalReason Reason { get; }

    /// <summary>Snake_case code of <see cref="Reason"/>.</summary>
    public string ReasonCode => Reason.ToCode();

    /// <summary>One sentence saying what happened.</summary>
    public string Detail { get; }

    /// <summary>The subject enrolled (or refused).</summary>
    public string Subject { get; }

    /// <summary>Total duration of the clips read, in seconds.</summary>
    public double AudioDurationSeconds { get; }

    /// <summary>Uses left on the grant after this operation.</summary>
    public int UsesRemaining { get; }
}

/// <summary>Outcome of an identification: scores for the grant's named subjects only, or a refusal.</summary>
public sealed class IdentificationOutcome
{
    internal IdentificationOutcome(RefusalReason reason, string detail, IReadOnlyList<SubjectScore> scores,
        string? modelId, double thresholdLlr, double audioSeconds, string? audioSha256, int usesRemaining)
    {
        Reason = reason;
        Detail = detail;
        Scores = scores;
        ModelId = modelId;
        ThresholdLlr = thresholdLlr;
        AudioDurationSeconds = audioSeconds;
        AudioSha256 = audioSha256;
        UsesRemaining = usesRemaining;
    }

    /// <summary>True when the audio was scored.</summary>
    public bool IsAllowed => Reason == RefusalReason.None;

    /// <summary>Why it was refused (<see cref="RefusalReason.None"/> when allowed).</summary>
    public RefusalReason Reason { get; }

    /// <summary>Snake_case code of <see cref="Reason"/>.</summary>
    public string ReasonCode => Reason.ToCode();

    /// <summary>One sentence saying what happened.</summary>
    public string Detail { get; }

    /// <summary>One entry per subject the grant names, in the grant's order; empty when refused.</summary>
    public IReadOnlyList<SubjectScore> Scores { get; }

    /// <summary>Engine model id, or null when refused before scoring.</summary>
    public string? ModelId { get; }

    /// <summary>Decision threshold on the log-likelihood ratio (NaN when refused).</summary>
    public double ThresholdLlr { get; }

    /// <summary>Duration of the audio processed, in seconds.</summary>
    public double AudioDurationSeconds { get; }

    /// <summary>SHA-256 (hex) of the audio processed (interleaved float32 little-endian samples as read).</summary>
    public string? AudioSha256 { get; }

    /// <summary>Uses left on the grant after this operation.</summary>
    public int UsesRemaining { get; }
}
