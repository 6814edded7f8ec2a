namespace AcousticCore.Identification;

/// <summary>
/// Fits a <see cref="DiagonalGmm"/> to feature frames: k-means++ seeding and Lloyd iterations,
/// then expectation–maximisation with a variance floor. Deterministic for a given seed.
/// </summary>
/// <remarks>
/// Used offline to train the universal background model from the synthetic corpus (see
/// docs/identification.md); not on any request path. The variance floor is a fraction of each
/// dimension's global variance, which keeps a component that collapses onto a few nearly identical
/// frames from dominating the likelihood. A component that loses (almost) all its frames is
/// re-seeded on the frame the model explains worst, with the global variance.
/// </remarks>
internal static class GmmTrainer
{
    /// <summary>Trains a K-component model on <paramref name="frames"/> rows of <paramref name="dimension"/> values.</summary>
    /// <param name="data">Row-major frames.</param>
    /// <param name="frames">Number of frames (≥ 2·K).</param>
    /// <param name="dimension">Values per frame.</param>
    /// <param name="components">K.</param>
    /// <param name="kMeansIterations">Lloyd iterations after seeding.</param>
    /// <param name="emIterations">EM iterations.</param>
    /// <param name="seed">Seed of the k-means++ draws.</param>
    /// <param name="varianceFloorFraction">Floor on σ² as a fraction of the global variance of each dimension.</param>
    /// <param name="logLikelihoods">If not null, receives the mean log-likelihood per frame after each EM iteration.</param>
    public static DiagonalGmm Train(float[] data, int frames, int dimension, int components, int kMeansIterations = 10,
        int emIterations = 20, int seed = 1, double varianceFloorFraction = 0.01, List<double>? logLikelihoods = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 2 * components);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (data.Length < (long)frames * dimension) throw new ArgumentException("Data shorter than frames × dimension.", nameof(data));

        int n = frames, d = dimension, k = components;
        var globalMean = new double[d];
        var globalVar = new double[d];
        for (int t = 0; t < n; t++)
        {
            for (int i = 0; i < d; i++) globalMean[i] += data[t * d + i];
        }

        for (int i = 0; i < d; i++) globalMean[i] /= n;
        for (int t = 0; t < n; t++)
        {
            for (int i = 0; i < d; i++)
            {
                double e = data[t * d + i] - globalMean[i];
                globalVar[i] += e * e;
            }
        }

        var floor = new double[d];
        for (int i = 0; i < d; i++)
        {
            globalVar[i] = Math.Max(globalVar[i] / n, 1e-6);
            floor[i] = varianceFloorFraction * globalVar[i];
        }

        float[] centroids = KMeans(data, n, d, k, kMeansIterations, new Random(seed), out int[] assignment);

        // Initial GMM from the clusters.
        var weights = new float[k];
        var means = new float[k * d];
        var variances = new float[k * d];
        var count = new double[k];
        var sum = new double[k * d];
        var sumSq = new double[k * d];
        for (int t = 0; t < n; t++)
        {
            int c = assignment[t];
            count[c]++;
            for (int i = 0; i < d; i++)
            {
                double x = data[t * d + i];
                sum[c * d + i] += x;
                sumSq[c * d + i] += x * x;
            }
        }

        SetParameters(count, sum, sumSq, n, d, k, floor, globalVar, centroids, weights, means, variances);
        var model = new DiagonalGmm(weights, means, variances);

        var logp = new double[k];
        for (int iteration = 0; iteration < emIterations; iteration++)
        {
            Array.Clear(count);
            Array.Clear(sum);
            Array.Clear(sumSq);
            double total = 0;
            for (int t = 0; t < n; t++)
            {
                ReadOnlySpan<float> x = data.AsSpan(t * d, d);
                model.WeightedComponentLogDensities(x, logp);
                double ll = DiagonalGmm.LogSumExp(logp);
                total += ll;
                for (int c = 0; c < k; c++)
                {
                    double g = Math.Exp(logp[c] - ll);
                    if (g < 1e-10) continue;
                    count[c] += g;
                    int o = c * d;
                    for (int i = 0; i < d; i++)
                    {
                        double v = x[i];
                        sum[o + i] += g * v;
                        sumSq[o + i] += g * v * v;
                    }
                }
            }

            logLikelihoods?.Add(total / n);
            SetParameters(count, sum, sumSq, n, d, k, floor, globalVar, model.Means.ToArray(), weights, means, variances);
            model = new DiagonalGmm(weights, means, variances);
        }

        return model;
    }

    private static void SetParameters(double[] count, double[] sum, double[] sumSq, int n, int d, int k, double[] floor,
        double[] globalVar, float[] fallbackMeans, float[] weights, float[] means, float[] variances)
    {
        double weightTotal = 0;
        for (int c = 0; c < k; c++)
        {
            // A starved component keeps its previous mean with the global variance and a tiny weight
            // rather than producing 0/0.
            bool starved = count[c] < 1e-3 * n / k || count[c] < 2;
            for (int i = 0; i < d; i++)
            {
                int o = c * d + i;
                if (starved)
                {
                    means[o] = fallbackMeans[o];
                    variances[o] = (float)globalVar[i];
                }
                else
                {
                    double mu = sum[o] / count[c];
                    means[o] = (float)mu;
                    variances[o] = (float)Math.Max(sumSq[o] / count[c] - mu * mu, floor[i]);
                }
            }

            weights[c] = (float)Math.Max(count[c] / n, 1e-5);
            weightTotal += weights[c];
        }

        for (int c = 0; c < k; c++) weights[c] = (float)(weights[c] / weightTotal);
    }

    /// <summary>k-means++ seeding on a subsample then Lloyd iterations on all frames.</summary>
    internal static float[] KMeans(float[] data, int n, int d, int k, int iterations, Random random, out int[] assignment)
    {
        var centroids = new float[k * d];
        var nearest = new double[n];
        int first = random.Next(n);
        data.AsSpan(first * d, d).CopyTo(centroids);
        for (int t = 0; t < n; t++) nearest[t] = SquaredDistance(data.AsSpan(t * d, d), centroids.AsSpan(0, d));
        for (int c = 1; c < k; c++)
        {
            double total = 0;
            for (int t = 0; t < n; t++) total += nearest[t];
            double r = random.NextDouble() * total;
            int pick = n - 1;
            for (int t = 0; t < n; t++)
            {
                r -= nearest[t];
                if (r <= 0)
                {
                    pick = t;
                    break;
                }
            }

            data.AsSpan(pick * d, d).CopyTo(centroids.AsSpan(c * d, d));
            for (int t = 0; t < n; t++)
            {
                nearest[t] = Math.Min(nearest[t], SquaredDistance(data.AsSpan(t * d, d), centroids.AsSpan(c * d, d)));
            }
        }

        assignment = new int[n];
        var sums = new double[k * d];
        var counts = new int[k];
        for (int iteration = 0; iteration <= iterations; iteration++)
        {
            for (int t = 0; t < n; t++)
            {
                ReadOnlySpan<float> x = data.AsSpan(t * d, d);
                int best = 0;
                double bestDistance = double.PositiveInfinity;
                for (int c = 0; c < k; c++)
                {
                    double dist = SquaredDistance(x, centroids.AsSpan(c * d, d));
                    if (dist < bestDistance)
                    {
                        bestDistance = dist;
                        best = c;
                    }
                }

                assignment[t] = best;
                nearest[t] = bestDistance;
            }

            if (iteration == iterations) break;
            Array.Clear(sums);
            Array.Clear(counts);
            for (int t = 0; t < n; t++)
            {
                int c = assignment[t];
                counts[c]++;
                for (int i = 0; i < d; i++) sums[c * d + i] += data[t * d + i];
            }

            for (int c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    // Empty cluster: move it to the frame farthest from its centroid.
                    int far = 0;
                    for (int t = 1; t < n; t++) if (nearest[t] > nearest[far]) far = t;
                    data.AsSpan(far * d, d).CopyTo(centroids.AsSpan(c * d, d));
                    nearest[far] = 0;
                    continue;
                }

                for (int i = 0; i < d; i++) centroids[c * d + i] = (float)(sums[c * d + i] / counts[c]);
            }
        }

        return centroids;
    }

    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float s = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            float e = a[i] - b[i];
            s += e * e;
        }

        return s;
    }
}
