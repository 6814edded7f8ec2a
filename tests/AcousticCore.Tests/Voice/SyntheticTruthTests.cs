using AcousticCore.Voice;
using Xunit;
using Xunit.Abstractions;

namespace AcousticCore.Tests.Voice;

/// <summary>
/// Jitter and shimmer of the constructed vowels (Reference/make_signals.py) against the values built into them: every pulse has
/// the same shape and its own formant response, so the closure-to-closure intervals are exactly the set periods and each period's
/// amplitude is proportional to its pulse scale (synthetic_truth.csv). Both our values and Praat's committed values must be
/// within 15 % of that truth (the requirement).
/// </summary>
public class SyntheticTruthTests(ITestOutputHelper output)
{
    private const double Tolerance = 0.15;

    // A measure is checked where its truth is at least 3x what Praat reads on the unperturbed vowel (synth_steady_120_16k:
    // jitter local 0.003 %, rap 0.0014 %, ppq5 0.0017 %, shimmer local 0.68 %, 0.059 dB, apq3/5/11 about 0.5 %): below that the
    // measurement floor (sampling of the Hann window and of the pulse times) is not small against the truth. Only the glide's
    // rap/ppq5 (truth 0.001/0.003 %, the curvature of a smooth glide) fall there; every nonzero perturbation is checked.
    private const double FloorFactor = 3;

    private static readonly string[] Measures =
    [
        "jitter_local_pct", "jitter_rap_pct", "jitter_ppq5_pct",
        "shimmer_local_pct", "shimmer_local_db", "shimmer_apq3_pct", "shimmer_apq5_pct", "shimmer_apq11_pct",
    ];

    private static double Ours(VoiceFeatures s, string measure) => measure switch
    {
        "jitter_local_pct" => s.Jitter!.Local * 100,
        "jitter_rap_pct" => s.Jitter!.Rap * 100,
        "jitter_ppq5_pct" => s.Jitter!.Ppq5 * 100,
        "shimmer_local_pct" => s.Shimmer!.Local * 100,
        "shimmer_local_db" => s.Shimmer!.LocalDb,
        "shimmer_apq3_pct" => s.Shimmer!.Apq3 * 100,
        "shimmer_apq5_pct" => s.Shimmer!.Apq5 * 100,
        "shimmer_apq11_pct" => s.Shimmer!.Apq11 * 100,
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, null),
    };

    [Fact]
    public void JitterAndShimmerOfConstructedVowelsAreWithin15PercentOfTruth()
    {
        var truthRows = VoiceReferenceData.ReadCsv("synthetic_truth.csv");
        Assert.Equal(6, truthRows.Count);
        var floorRow = VoiceReferenceData.PraatRow("synth_steady_120_16k");
        int checkedCount = 0;
        var failures = new List<string>();
        foreach (var truthRow in truthRows)
        {
            string file = truthRow["file"];
            var praat = VoiceReferenceData.PraatRow(file);
            var summary = VoiceReferenceData.Analysis(file).Summary;
            foreach (string measure in Measures)
            {
                double truth = truthRow.Num(measure);
                if (truth < FloorFactor * floorRow.Num(measure)) continue;
                double ours = Ours(summary, measure), theirs = praat.Num(measure);
                output.WriteLine($"{file,-30} {measure,-18} truth {truth,9:F5}  ours {ours,9:F5} ({(ours / truth - 1) * 100,6:F2} %)  praat {theirs,9:F5} ({(theirs / truth - 1) * 100,6:F2} %)");
                if (!(Math.Abs(ours / truth - 1) <= Tolerance)) failures.Add($"{file} {measure}: ours {ours} vs truth {truth}");
                if (!(Math.Abs(theirs / truth - 1) <= Tolerance)) failures.Add($"{file} {measure}: Praat {theirs} vs truth {truth}");
                checkedCount++;
            }
        }

        Assert.Empty(failures);
        // 5 vowels with perturbation: alternating jitter (3 jitter measures), alternating shimmer (5 shimmer measures), two random
        // (3 + 5 each) and the glide (jitter local only)
        Assert.Equal(3 + 5 + 8 + 8 + 1, checkedCount);
    }

    [Fact]
    public void TruthFileDescribesTheRecipes()
    {
        // fixture sanity check: the recipes' own arithmetic (alternation T(1 ± 1 %) → local 2 %, rap 4/3 %, ppq5 0.8 %;
        // amplitudes 1.0/0.8 → local 0.2/0.9, 20·log10(1.25) dB)
        var rows = VoiceReferenceData.ReadCsv("synthetic_truth.csv").ToDictionary(r => r["file"]);
        var alt = rows["synth_jitter_alt2pct_110_16k"];
        Assert.Equal(2.0, alt.Num("jitter_local_pct"), 2);
        Assert.Equal(4.0 / 3, alt.Num("jitter_rap_pct"), 2);
        Assert.Equal(0.8, alt.Num("jitter_ppq5_pct"), 2);
        var sh = rows["synth_shimmer_alt_130_16k"];
        Assert.Equal(20 / 0.9, sh.Num("shimmer_local_pct"), 1); // 0.9 = mean amplitude up to the odd count
        Assert.Equal(20 * Math.Log10(1.25), sh.Num("shimmer_local_db"), 6);
        Assert.Equal(0, rows["synth_steady_120_16k"].Num("jitter_local_pct"));
    }
}
