using System.Runtime.Intrinsics;

namespace AcousticCore.Classification;

/// <summary>Settings of <see cref="SoftmaxTrainer"/>; validated when set.</summary>
public sealed class SoftmaxTrainerOptions
{
    private readonly double _l2 = 1e-3;
    private readonly int _maxIterations = 400;
    private readonly double _confidenceThreshold = 0.4;
    private readonly int _hiddenUnits;
    private readonly int _members = 1;

    /// <summary>L2 penalty λ on the weights (not the biases), ≥ 0; default 1e-3.</summary>
    public double L2
    {
        get => _l2;
        init
        {
            if (!double.IsFinite(value) || value < 0) throw new ArgumentOutOfRangeException(nameof(L2), value, "Must be finite and ≥ 0.");
            _l2 = value;
        }
    }

    /// <summary>Maximum L-BFGS iterations, 1–100000; default 400.</summary>
    public int MaxIterations
    {
        get => _maxIterations;
        init
        {
            if (value is < 1 or > 100_000) throw new ArgumentOutOfRangeException(nameof(MaxIterations), value, "Must be 1–100000.");
            _maxIterations = value;
        }
    }

    /// <summary>Hidden tanh units, 0–256; 0 (default) trains plain softmax regression.</summary>
    public int HiddenUnits
    {
        get => _hiddenUnits;
        init
        {
            if (value < 0 || value > ClassifierModel.MaxHiddenUnits)
            {
                throw new ArgumentOutOfRangeException(nameof(HiddenUnits), value, $"Must be 0–{ClassifierModel.MaxHiddenUnits}.");
            }
            _hiddenUnits = value;
        }
    }

    /// <summary>
    /// Perceptrons trained from different starting seeds (seed, seed + 1, …) and averaged in the logit domain,
    /// 1–16; default 1. Needs <see cref="HiddenUnits"/> > 0 and members × hidden units ≤ 256: the average is
    /// stored exactly as one hidden layer of members × hidden units (output weights divided by the member count).
    /// </summary>
    public int EnsembleMembers
    {
        get => _members;
        init
        {
            if (value is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(EnsembleMembers), value, "Must be 1–16.");
            _members = value;
        }
    }

    /// <summary>Weight each example by n / (K · n_class) so every class counts equally; default true.</summary>
    public bool BalanceClasses { get; init; } = true;

    /// <summary>Confidence threshold written into the model, 0–1; default 0.4.</summary>
    public double ConfidenceThreshold
    {
        get => _confidenceThreshold;
        init
        {
            if (!(value >= 0 && value <= 1)) throw new ArgumentOutOfRangeException(nameof(ConfidenceThreshold), value, "Must be 0–1.");
            _confidenceThreshold = value;
        }
    }
}

/// <summary>
/// Trains a <see cref="ClassifierModel"/>: standardises each feature, then minimises the (class-weighted)
/// mean cross-entropy + λ/2·‖W‖² by full-batch L-BFGS (Nocedal and Wright 2006, algorithm 7.5, memory 10,
/// backtracking Armijo line search) from zero weights. Deterministic: same data, same model.
/// </summary>
public static class SoftmaxTrainer
{
    private const int Memory = 10;

    /// <summary>Trains on <paramref name="labels"/>.Length examples of <see cref="WindowFeatureExtractor.FeatureCount"/> features each.</summary>
    /// <param name="features">Row-major examples × features.</param>
    /// <param name="labels">Class index per example, 0..classes.Count − 1.</param>
    /// <param name="classes">Class names.</param>
    /// <param name="settings">Window settings the features were extracted with.</param>
    /// <param name="options">Regularisation and iteration settings.</param>
    /// <param name="metadata">Training record to store (iterations are filled in).</param>
    /// <param name="progress">Optional callback (iteration, objective).</param>
    /// <exception cref="ArgumentException">Shapes disagree, a label is out of range, a value is not finite, or a class has no example.</exception>
    public static ClassifierModel Train(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, IReadOnlyList<string> classes,
        WindowFeatureSettings settings, SoftmaxTrainerOptions options, TrainingMetadata metadata, Action<int, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metadata);
        int d = WindowFeatureExtractor.FeatureCount, k = classes.Count, n = labels.Length;
        if (n == 0) throw new ArgumentException("No training examples.", nameof(labels));
        if (features.Length != (long)n * d) throw new ArgumentException($"Expected {n}×{d} features, got {features.Length}.", nameof(features));
        var counts = new int[k];
        foreach (int y in labels)
        {
            if ((uint)y >= (uint)k) throw new ArgumentException($"Label {y} is outside 0..{k - 1}.", nameof(labels));
            counts[y]++;
        }

        for (int c = 0; c < k; c++)
        {
            if (counts[c] == 0) throw new ArgumentException($"Class '{classes[c]}' has no training example.", nameof(labels));
        }

        foreach (float v in features)
        {
            if (!float.IsFinite(v)) throw new ArgumentException("A feature value is not finite.", nameof(features));
        }

        // Standardisation; a constant feature keeps σ = 1 so it contributes nothing.
        var mean = new double[d];
        var sd = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) mean[j] += features[i * d + j];
        }

        for (int j = 0; j < d; j++) mean[j] /= n;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double v = features[i * d + j] - mean[j];
                sd[j] += v * v;
            }
        }

        var x = new double[n * d];
        for (int j = 0; j < d; j++)
        {
            sd[j] = Math.Sqrt(sd[j] / n);
            if (!(sd[j] > 1e-6 * Math.Max(1, Math.Abs(mean[j])))) sd[j] = 1;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) x[i * d + j] = (features[i * d + j] - mean[j]) / sd[j];
        }

        var sampleWeight = new double[k];
        for (int c = 0; c < k; c++) sampleWeight[c] = options.BalanceClasses ? (double)n / (k * counts[c]) : 1.0;
        double weightSum = 0;
        foreach (int y in labels) weightSum += sampleWeight[y];

        int hidden = options.HiddenUnits;
        int members = options.EnsembleMembers;
        if (members > 1 && hidden == 0) throw new ArgumentException("An ensemble needs hidden units (members differ only by their random start).", nameof(options));
        if (members * hidden > ClassifierModel.MaxHiddenUnits)
        {
            throw new ArgumentException($"Ensemble members × hidden units must be ≤ {ClassifierModel.MaxHiddenUnits}.", nameof(options));
        }

        int iterations = 0;
        float[] w1, b1, w, b;
        if (hidden == 0)
        {
            var objective = new Objective(x, labels.ToArray(), n, d, k, sampleWeight, weightSum, options.L2);
            var theta = new double[k * (d + 1)];   // weights row-major, then biases
            iterations = Minimise(objective, theta, options.MaxIterations, progress);
            w1 = [];
            b1 = [];
            w = new float[k * d];
            b = new float[k];
            for (int i = 0; i < w.Length; i++) w[i] = (float)theta[i];
            for (int c = 0; c < k; c++) b[c] = (float)theta[k * d + c];
        }
        else
        {
            // Member m starts from seed + m. Averaging the members' logits, Σ_m (W_m·h_m + b_m) / M, is one
            // hidden layer of M·H units with output weights W_m / M and bias mean(b_m).
            int units = members * hidden;
            w1 = new float[units * d];
            b1 = new float[units];
            w = new float[k * units];
            b = new float[k];
            var objective = new MlpObjective(x, labels.ToArray(), n, d, hidden, k, sampleWeight, weightSum, options.L2);
            for (int m = 0; m < members; m++)
            {
                double[] theta = MlpObjective.Initial(d, hidden, k, metadata.Seed + m);
                iterations += Minimise(objective, theta, options.MaxIterations, progress);
                int offset = hidden * (d + 1);   // layout: W1, b1, W2, b2
                for (int i = 0; i < hidden * d; i++) w1[m * hidden * d + i] = (float)theta[i];
                for (int u = 0; u < hidden; u++) b1[m * hidden + u] = (float)theta[hidden * d + u];
                for (int c = 0; c < k; c++)
                {
                    for (int u = 0; u < hidden; u++) w[c * units + m * hidden + u] = (float)(theta[offset + c * hidden + u] / members);
                }

                for (int c = 0; c < k; c++) b[c] += (float)(theta[offset + k * hidden + c] / members);
            }
        }
        var meanF = new float[d];
        var sdF = new float[d];
        for (int j = 0; j < d; j++)
        {
            meanF[j] = (float)mean[j];
            sdF[j] = (float)sd[j];
        }

        var record = metadata with { Windows = n, L2 = options.L2, Iterations = iterations, Trees = "" };   // trees, if any, are added after
        return new ClassifierModel(classes, settings, meanF, sdF, w1, b1, w, b, options.ConfidenceThreshold, record);
    }

    private static int Minimise(IObjective f, double[] theta, int maxIterations, Action<int, double>? progress)
    {
        int p = theta.Length;
        var g = new double[p];
        var gNew = new double[p];
        var dir = new double[p];
        var thetaNew = new double[p];
        var s = new double[Memory][];
        var yv = new double[Memory][];
        var rho = new double[Memory];
        var alpha = new double[Memory];
        for (int m = 0; m < Memory; m++)
        {
            s[m] = new double[p];
            yv[m] = new double[p];
        }

        double fx = f.Evaluate(theta, g);
        int stored = 0, head = 0, iteration = 0;
        for (; iteration < maxIterations; iteration++)
        {
            double gMax = 0;
            for (int i = 0; i < p; i++) gMax = Math.Max(gMax, Math.Abs(g[i]));
            if (gMax < 1e-6) break;

            // Two-loop recursion: dir = −H·g.
            for (int i = 0; i < p; i++) dir[i] = -g[i];
            for (int back = 0; back < stored; back++)
            {
                int m = (head - 1 - back + Memory) % Memory;
                alpha[m] = rho[m] * Dot(s[m], dir);
                Axpy(-alpha[m], yv[m], dir);
            }

            if (stored > 0)
            {
                int last = (head - 1 + Memory) % Memory;
                double gamma = Dot(s[last], yv[last]) / Dot(yv[last], yv[last]);
                for (int i = 0; i < p; i++) dir[i] *= gamma;
            }
            else
            {
                double norm = Math.Sqrt(Dot(g, g));
                for (int i = 0; i < p; i++) dir[i] /= Math.Max(norm, 1);
            }

            for (int fwd = stored - 1; fwd >= 0; fwd--)
            {
                int m = (head - 1 - fwd + Memory) % Memory;
                double beta = rho[m] * Dot(yv[m], dir);
                Axpy(alpha[m] - beta, s[m], dir);
            }

            double slope = Dot(g, dir);
            if (slope >= 0)
            {
                // Not a descent direction (curvature lost): restart from steepest descent.
                stored = 0;
                for (int i = 0; i < p; i++) dir[i] = -g[i];
                slope = Dot(g, dir);
            }

            double step = 1, fNew = 0;
            bool accepted = false;
            for (int tries = 0; tries < 40; tries++)
            {
                for (int i = 0; i < p; i++) thetaNew[i] = theta[i] + step * dir[i];
                fNew = f.Evaluate(thetaNew, gNew);
                if (fNew <= fx + 1e-4 * step * slope)
                {
                    accepted = true;
                    break;
                }

                step *= 0.5;
            }

            if (!accepted) break;
            double sy = 0;
            for (int i = 0; i < p; i++)
            {
                s[head][i] = thetaNew[i] - theta[i];
                yv[head][i] = gNew[i] - g[i];
            }

            sy = Dot(s[head], yv[head]);
            if (sy > 1e-12)
            {
                rho[head] = 1 / sy;
                head = (head + 1) % Memory;
                stored = Math.Min(stored + 1, Memory);
            }

            double change = fx - fNew;
            Array.Copy(thetaNew, theta, p);
            Array.Copy(gNew, g, p);
            fx = fNew;
            progress?.Invoke(iteration + 1, fx);
            if (change < 1e-10 * Math.Max(1, Math.Abs(fx)))
            {
                iteration++;   // this iteration was completed: count it
                break;
            }
        }

        return iteration;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++) y[i] += a * x[i];
    }

    /// <summary>
    /// Dot product in fixed-width (4 × double) lanes, then the lanes and the tail in a fixed order, so the
    /// result, and with it the trained model, is the same on every machine (Vector256 is emulated where absent).
    /// </summary>
    private static double VectorDot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, i = 0;
        var acc = Vector256<double>.Zero;
        for (; i <= n - 4; i += 4) acc += Vector256.Create(a.Slice(i, 4)) * Vector256.Create(b.Slice(i, 4));
        double s = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        for (; i < n; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>y += a·x in 4-wide lanes (element-wise, so the order of operations is that of the scalar loop).</summary>
    private static void VectorAxpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        var va = Vector256.Create(a);
        for (; i <= n - 4; i += 4) (Vector256.Create(y.Slice(i, 4)) + (va * Vector256.Create(x.Slice(i, 4)))).CopyTo(y.Slice(i, 4));
        for (; i < n; i++) y[i] += a * x[i];
    }

    private interface IObjective
    {
        double Evaluate(double[] theta, double[] gradient);
    }

    /// <summary>
    /// One tanh hidden layer: parameters W1 (H×d), b1, W2 (K×H), b2; same weighted cross-entropy, λ/2 on W1 and W2.
    /// Starts from Glorot-uniform weights drawn with the seed, so training stays deterministic.
    /// </summary>
    private sealed class MlpObjective(double[] x, int[] labels, int n, int d, int h, int k, double[] classWeight, double weightSum, double l2) : IObjective
    {
        private readonly double[] _a = new double[h];
        private readonly double[] _dh = new double[h];
        private readonly double[] _z = new double[k];

        public static double[] Initial(int d, int h, int k, int seed)
        {
            var rng = new Random(seed);
            var theta = new double[h * (d + 1) + k * (h + 1)];
            double s1 = Math.Sqrt(6.0 / (d + h)), s2 = Math.Sqrt(6.0 / (h + k));
            for (int i = 0; i < h * d; i++) theta[i] = (2 * rng.NextDouble() - 1) * s1;
            int o = h * (d + 1);
            for (int i = 0; i < k * h; i++) theta[o + i] = (2 * rng.NextDouble() - 1) * s2;
            return theta;
        }

        public double Evaluate(double[] theta, double[] gradient)
        {
            Array.Clear(gradient);
            int b1 = h * d, w2 = h * (d + 1), b2 = w2 + k * h;
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<double> xi = x.AsSpan(i * d, d);
                for (int u = 0; u < h; u++)
                {
                    _a[u] = Math.Tanh(theta[b1 + u] + VectorDot(theta.AsSpan(u * d, d), xi));
                }

                double max = double.NegativeInfinity;
                for (int c = 0; c < k; c++)
                {
                    double z = theta[b2 + c];
                    for (int u = 0; u < h; u++) z += theta[w2 + c * h + u] * _a[u];
                    _z[c] = z;
                    if (z > max) max = z;
                }

                double sum = 0;
                for (int c = 0; c < k; c++) sum += Math.Exp(_z[c] - max);
                double logSum = max + Math.Log(sum);
                int y = labels[i];
                double sw = classWeight[y] / weightSum;
                loss += sw * (logSum - _z[y]);
                Array.Clear(_dh);
                for (int c = 0; c < k; c++)
                {
                    double r = sw * (Math.Exp(_z[c] - logSum) - (c == y ? 1 : 0));
                    for (int u = 0; u < h; u++)
                    {
                        gradient[w2 + c * h + u] += r * _a[u];
                        _dh[u] += r * theta[w2 + c * h + u];
                    }

                    gradient[b2 + c] += r;
                }

                for (int u = 0; u < h; u++)
                {
                    double da = _dh[u] * (1 - _a[u] * _a[u]);
                    VectorAxpy(da, xi, gradient.AsSpan(u * d, d));
                    gradient[b1 + u] += da;
                }
            }

            for (int i = 0; i < theta.Length; i++)
            {
                bool isWeight = i < b1 || (i >= w2 && i < b2);
                if (!isWeight) continue;
                loss += 0.5 * l2 * theta[i] * theta[i];
                gradient[i] += l2 * theta[i];
            }

            return loss;
        }
    }

    /// <summary>Weighted mean cross-entropy + λ/2‖W‖² and its gradient.</summary>
    private sealed class Objective(double[] x, int[] labels, int n, int d, int k, double[] classWeight, double weightSum, double l2) : IObjective
    {
        private readonly double[] _z = new double[k];

        public double Evaluate(double[] theta, double[] gradient)
        {
            Array.Clear(gradient);
            double loss = 0;
            int biasOffset = k * d;
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<double> xi = x.AsSpan(i * d, d);
                double max = double.NegativeInfinity;
                for (int c = 0; c < k; c++)
                {
                    double z = theta[biasOffset + c] + VectorDot(theta.AsSpan(c * d, d), xi);
                    _z[c] = z;
                    if (z > max) max = z;
                }

                double sum = 0;
                for (int c = 0; c < k; c++) sum += Math.Exp(_z[c] - max);
                double logSum = max + Math.Log(sum);
                int y = labels[i];
                double sw = classWeight[y] / weightSum;
                loss += sw * (logSum - _z[y]);
                for (int c = 0; c < k; c++)
                {
                    double r = sw * (Math.Exp(_z[c] - logSum) - (c == y ? 1 : 0));
                    VectorAxpy(r, xi, gradient.AsSpan(c * d, d));
                    gradient[biasOffset + c] += r;
                }
            }

            for (int i = 0; i < biasOffset; i++)
            {
                loss += 0.5 * l2 * theta[i] * theta[i];
                gradient[i] += l2 * theta[i];
            }

            return loss;
        }
    }
}
