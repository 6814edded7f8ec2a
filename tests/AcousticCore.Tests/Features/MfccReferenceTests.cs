using System.Globalization;
using AcousticCore.Dsp;
using AcousticCore.Features;
using Xunit;

namespace AcousticCore.Tests.Features;

/// <summary>MFCC against an independent numpy/scipy implementation (mfcc_reference.py → mfcc_reference.csv).</summary>
public class MfccReferenceTests
{
    private static IEnumerable<string[]> ReferenceRows()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Features", "mfcc_reference.csv");
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            if (line.Length > 0) yield return line.Split(',');
        }
    }

    public static TheoryData<int> Configs()
    {
        var data = new TheoryData<int>();
        foreach (string[] row in ReferenceRows()) data.Add(int.Parse(row[0], CultureInfo.InvariantCulture));
        return data;
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Configs))]
    public void MatchesScipyReference(int config)
    {
        string[] row = ReferenceRows().First(r => r[0] == config.ToString(CultureInfo.InvariantCulture));
        int fs = (int)D(row[1]), n = (int)D(row[2]), filters = (int)D(row[3]), ceps = (int)D(row[4]);
        double low = D(row[5]), high = D(row[6]);
        int lifter = (int)D(row[7]);
        var norm = row[8] == "area" ? MelFilterNormalization.UnitArea : MelFilterNormalization.UnitPeak;
        double f1 = D(row[9]), f2 = D(row[10]), f3 = D(row[11]), a1 = D(row[12]), a2 = D(row[13]), a3 = D(row[14]);
        double[] expected = row.Skip(15).Select(D).ToArray();
        Assert.Equal(ceps, expected.Length);

        var frame = new float[n];
        for (int t = 0; t < n; t++)
        {
            double x = a1 * Math.Sin(2 * Math.PI * f1 * t / fs) + a2 * Math.Sin(2 * Math.PI * f2 * t / fs + 0.3)
                + a3 * ((double)t / n) * Math.Sin(2 * Math.PI * f3 * t / fs);
            double w = 0.54 - 0.46 * Math.Cos(2 * Math.PI * t / (n - 1));
            frame[t] = (float)((float)x * w);
        }

        var spectrum = new float[n + 2];
        new FftPlan(n).Forward(frame, spectrum);
        var power = new float[n / 2 + 1];
        MfccExtractor.PowerSpectrum(spectrum, power);
        var mfcc = new MfccExtractor(fs, n, new MfccOptions
        {
            FilterCount = filters, CoefficientCount = ceps, LowFrequencyHz = low, HighFrequencyHz = high,
            Lifter = lifter, Normalization = norm,
        });
        var c = new float[ceps];
        mfcc.Compute(power, c);

        // float32 FFT and sums vs float64 reference: log-energies agree to ~1e-4 relative; allow 2e-3 per
        // coefficient plus 1e-4 of its magnitude (liftering multiplies high coefficients by up to 1 + L/2).
        for (int i = 0; i < ceps; i++)
        {
            double tol = 2e-3 * (1 + lifter / 2.0) + 1e-4 * Math.Abs(expected[i]);
            Assert.True(Math.Abs(c[i] - expected[i]) <= tol, $"config {config} c{i}: {c[i]} vs {expected[i]} (tol {tol})");
        }
    }
}
