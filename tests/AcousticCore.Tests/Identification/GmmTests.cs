using AcousticCore.Identification;
using Xunit;

namespace AcousticCore.Tests.Identification;

/// <summary>Diagonal GMM density, EM training and MAP adaptation against answers known by construction.</summary>
public class GmmTests
{
    private static float Gaussian(Random rng)
    {
        // Box–Muller: one standard normal draw.
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    [Fact]
    public void LogDensityMatchesTheNormalFormula()
    {
        var gmm = new DiagonalGmm([1f], [1f, -2f], [4f, 0.25f]);
        float[] x = [2f, -1.5f];
        // ln N = −ln 2π − ½ ln(4 · 0.25) − ½ ((2−1)²/4 + (−1.5+2)²/0.25)
        double expected = -Math.Log(2 * Math.PI) - 0.5 * Math.Log(1.0) - 0.5 * (0.25 + 1.0);
        Assert.Equal(expected, gmm.LogLikelihood(x, new double[1]), 1e-6);

        var two = new DiagonalGmm([0.25f, 0.75f], [0f, 3f], [1f, 2f]);
        float[] y = [1f];
        double p = 0.25 * Math.Exp(-0.5) / Math.Sqrt(2 * Math.PI) + 0.75 * Math.Exp(-0.25 * 4) / Math.Sqrt(4 * Math.PI);
        Assert.Equal(Math.Log(p), two.LogLikelihood(y, new double[2]), 1e-6);
    }

    [Fact]
    public void EmRecoversAKnownMixtureAndNeverLowersTheLikelihood()
    {
        float[] w = [0.2f, 0.3f, 0.5f];
        float[][] mu = [[-5f, 0f], [0f, 5f], [5f, 0f]];
        float[][] var = [[1f, 0.5f], [0.25f, 1f], [2f, 2f]];
        const int n = 9000;
        var rng = new Random(42);
        var data = new float[n * 2];
        for (int t = 0; t < n; t++)
        {
            double u = rng.NextDouble();
            int c = u < 0.2 ? 0 : u < 0.5 ? 1 : 2;
            for (int i = 0; i < 2; i++) data[t * 2 + i] = mu[c][i] + MathF.Sqrt(var[c][i]) * Gaussian(rng);
        }

        var lls = new List<double>();
        DiagonalGmm gmm = GmmTrainer.Train(data, n, 2, 3, emIterations: 30, seed: 3, logLikelihoods: lls);
        for (int i = 1; i < lls.Count; i++) Assert.True(lls[i] >= lls[i - 1] - 1e-6, $"EM step {i} lowered the likelihood");

        for (int c = 0; c < 3; c++)
        {
            // Match the fitted component nearest to each true mean.
            int best = 0;
            double bestDistance = double.MaxValue;
            for (int k = 0; k < 3; k++)
            {
                double dx = gmm.Means[k * 2] - mu[c][0], dy = gmm.Means[k * 2 + 1] - mu[c][1];
                if (dx * dx + dy * dy < bestDistance) { bestDistance = dx * dx + dy * dy; best = k; }
            }

            // Tolerances: ~5 standard errors for 1800–4500 samples per component.
            Assert.Equal(w[c], gmm.Weights[best], 0.03);
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(mu[c][i], gmm.Means[best * 2 + i], 0.15);
                Assert.Equal(var[c][i], gmm.Variances[best * 2 + i], 0.15 * var[c][i]);
            }
        }
    }

    [Fact]
    public void MapAdaptationFollowsTheRelevanceFormula()
    {
        // One component, μ = (0, 0): n identical frames v give μ' = n·v / (n + r).
        var ubm = new DiagonalGmm([1f], [0f, 0f], [1f, 1f]);
        const int n = 48;
        var frames = new float[n * 2];
        for (int t = 0; t < n; t++) { frames[t * 2] = 2f; frames[t * 2 + 1] = -1f; }
        var occ = new double[1];
        var first = new double[2];
        GmmUbmSpeakerEngine.AccumulateStatistics(ubm, frames, n, occ, first);
        Assert.Equal(n, occ[0], 1e-9);
        float[] adapted = GmmUbmSpeakerEngine.AdaptMeans(ubm, occ, first, 16);
        Assert.Equal(2.0 * n / (n + 16), adapted[0], 1e-5);
        Assert.Equal(-1.0 * n / (n + 16), adapted[1], 1e-5);

        // Two far-apart components: data near component 0 moves only component 0.
        var two = new DiagonalGmm([0.5f, 0.5f], [-10f, 10f], [1f, 1f]);
        var near = new float[20];
        for (int t = 0; t < 20; t++) near[t] = -9f;
        var occ2 = new double[2];
        var first2 = new double[2];
        GmmUbmSpeakerEngine.AccumulateStatistics(two, near, 20, occ2, first2);
        float[] a2 = GmmUbmSpeakerEngine.AdaptMeans(two, occ2, first2, 16);
        Assert.Equal((20 * -9.0 + 16 * -10.0) / 36, a2[0], 1e-4);
        Assert.Equal(10f, a2[1], 1e-4);
    }

    [Fact]
    public void SerializedModelRoundTripsAndDamageIsDetected()
    {
        var gmm = new DiagonalGmm([0.4f, 0.6f], [1f, 2f, 3f, 4f], [0.5f, 1.5f, 2.5f, 3.5f]);
        byte[] bytes = gmm.Serialize(0.75, "features-x");
        DiagonalGmm back = DiagonalGmm.Parse(bytes, out double threshold, out string description);
        Assert.Equal(0.75, threshold);
        Assert.Equal("features-x", description);
        Assert.Equal(gmm.Means.ToArray(), back.Means.ToArray());
        Assert.Equal(gmm.Variances.ToArray(), back.Variances.ToArray());
        Assert.Equal(gmm.Weights.ToArray(), back.Weights.ToArray());

        for (int i = 0; i < bytes.Length; i += 7)
        {
            byte[] damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => DiagonalGmm.Parse(damaged, out _, out _));
        }

        Assert.Throws<InvalidDataException>(() => DiagonalGmm.Parse(bytes.AsSpan(0, bytes.Length - 1), out _, out _));
        Assert.Throws<InvalidDataException>(() => DiagonalGmm.Parse([], out _, out _));
        Assert.Throws<ArgumentException>(() => new DiagonalGmm([0.5f, 0.6f], [0f, 0f], [1f, 1f]));
        Assert.Throws<ArgumentException>(() => new DiagonalGmm([1f], [0f], [0f]));
    }

    [Fact]
    public void EqualErrorRateKnownAnswer()
    {
        double[] targets = [2, 3, 4, 5];
        double[] nonTargets = [0, 1, 2.5, 6];
        // Accept when score ≥ 3: non-target 6 accepted (FAR 1/4), target 2 rejected (FRR 1/4).
        (double eer, double threshold) = DetectionErrorRates.EqualErrorRate(targets, nonTargets);
        Assert.Equal(0.25, eer, 1e-12);
        Assert.Equal(3, threshold);
        (double far, double frr) = DetectionErrorRates.At(targets, nonTargets, 2.5);
        Assert.Equal(0.5, far, 1e-12);
        Assert.Equal(0.25, frr, 1e-12);
        Assert.Equal(0, DetectionErrorRates.EqualErrorRate([5, 6], [1, 2]).EqualErrorRate);
    }
}
