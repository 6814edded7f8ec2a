namespace AcousticCore.Identification;

/// <summary>
/// Error rates of a score threshold over target and non-target trials, and the equal error rate.
/// </summary>
/// <remarks>
/// A trial is accepted when score ≥ threshold. FAR = accepted non-targets / non-targets,
/// FRR = rejected targets / targets. The EER is found by sweeping the threshold over every observed
/// score: at the score where FAR and FRR are closest the EER is the mean of the two rates,
/// and the EER threshold is that score.
/// </remarks>
internal static class DetectionErrorRates
{
    public static (double FalseAcceptRate, double FalseRejectRate) At(ReadOnlySpan<double> targetScores, ReadOnlySpan<double> nonTargetScores, double threshold)
    {
        if (targetScores.IsEmpty || nonTargetScores.IsEmpty) throw new ArgumentException("Need at least one target and one non-target trial.");
        int rejected = 0, accepted = 0;
        foreach (double s in targetScores) if (s < threshold) rejected++;
        foreach (double s in nonTargetScores) if (s >= threshold) accepted++;
        return ((double)accepted / nonTargetScores.Length, (double)rejected / targetScores.Length);
    }

    /// <summary>Equal error rate and the threshold where it occurs.</summary>
    public static (double EqualErrorRate, double Threshold) EqualErrorRate(ReadOnlySpan<double> targetScores, ReadOnlySpan<double> nonTargetScores)
    {
        if (targetScores.IsEmpty || nonTargetScores.IsEmpty) throw new ArgumentException("Need at least one target and one non-target trial.");
        var candidates = new double[targetScores.Length + nonTargetScores.Length];
        targetScores.CopyTo(candidates);
        nonTargetScores.CopyTo(candidates.AsSpan(targetScores.Length));
        Array.Sort(candidates);
        double bestGap = double.PositiveInfinity, eer = 1, threshold = candidates[0];
        foreach (double th in candidates)
        {
            (double far, double frr) = At(targetScores, nonTargetScores, th);
            double gap = Math.Abs(far - frr);
            if (gap < bestGap)
            {
                bestGap = gap;
                eer = (far + frr) / 2;
                threshold = th;
            }
        }

        return (eer, threshold);
    }
}
