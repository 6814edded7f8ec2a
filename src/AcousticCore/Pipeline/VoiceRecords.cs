using AcousticCore.Voice;

namespace AcousticCore.Pipeline;

/// <summary>
/// Result records of the voice analysis. Kept in Pipeline so that Voice does not depend on the
/// record layer above it (dependencies point downwards).
/// </summary>
public static class VoiceRecords
{
    /// <summary>The flat record (snake_case, unit in name) for JSON lines / CSV output.</summary>
    public static ResultRecord ToRecord(this VoiceFeatures features, string kind, string file)
    {
        ArgumentNullException.ThrowIfNull(features);
        var r = new ResultRecord(kind)
            .Add("file", file)
            .Add("time_s", features.StartSeconds)
            .Add("duration_s", features.DurationSeconds)
            .Add("voiced_duration_s", features.VoicedDurationSeconds)
            .Add("f0_mean_hz", features.F0MeanHz)
            .Add("f0_sd_hz", features.F0SdHz)
            .Add("f0_min_hz", features.F0MinHz)
            .Add("f0_max_hz", features.F0MaxHz)
            .Add("f0_median_hz", features.F0MedianHz)
            .Add("f0_mean_st", features.F0MeanSemitones)
            .Add("f0_sd_st", features.F0SdSemitones)
            .Add("f0_p20_st", features.F0P20Semitones)
            .Add("f0_p50_st", features.F0P50Semitones)
            .Add("f0_p80_st", features.F0P80Semitones)
            .Add("f0_range_st", features.F0RangeSemitones)
            .Add("f0_rising_slope_st_per_s", features.F0RisingSlopeSemitonesPerSecond)
            .Add("f0_falling_slope_st_per_s", features.F0FallingSlopeSemitonesPerSecond)
            .Add("pulses", (long)features.PulseCount)
            .Add("jitter_local_pct", Pct(features.Jitter?.Local))
            .Add("jitter_local_abs_us", (features.Jitter?.LocalAbsoluteSeconds ?? double.NaN) * 1e6)
            .Add("jitter_rap_pct", Pct(features.Jitter?.Rap))
            .Add("jitter_ppq5_pct", Pct(features.Jitter?.Ppq5))
            .Add("jitter_ddp_pct", Pct(features.Jitter?.Ddp))
            .Add("shimmer_local_pct", Pct(features.Shimmer?.Local))
            .Add("shimmer_local_db", features.Shimmer?.LocalDb ?? double.NaN)
            .Add("shimmer_apq3_pct", Pct(features.Shimmer?.Apq3))
            .Add("shimmer_apq5_pct", Pct(features.Shimmer?.Apq5))
            .Add("shimmer_apq11_pct", Pct(features.Shimmer?.Apq11))
            .Add("shimmer_dda_pct", Pct(features.Shimmer?.Dda))
            .Add("hnr_db", features.HnrDb)
            .Add("loudness_au", features.LoudnessAu)
            .Add("alpha_ratio_db", features.AlphaRatioDb)
            .Add("hammarberg_index_db", features.HammarbergIndexDb)
            .Add("spectral_slope_0_500", features.SpectralSlope0To500)
            .Add("spectral_slope_500_1500", features.SpectralSlope500To1500)
            .Add("voiced_segments_per_s", features.VoicedSegmentsPerSecond)
            .Add("voiced_segment_mean_s", features.VoicedSegmentMeanSeconds)
            .Add("voiced_segment_sd_s", features.VoicedSegmentSdSeconds)
            .Add("f0_tremor_rel_8_12hz", features.F0TremorRelativeEnergy)
            .Add("amplitude_tremor_rel_8_12hz", features.AmplitudeTremorRelativeEnergy);
        for (int b = 0; b < features.TeoCbAutoEnv.Count; b++)
        {
            r.Add($"teo_cb_auto_env_b{b + 1:D2}", features.TeoCbAutoEnv[b]);
        }

        r.Add("note", features.Note);
        return r;
    }

    private static double Pct(double? fraction) => (fraction ?? double.NaN) * 100;
}
