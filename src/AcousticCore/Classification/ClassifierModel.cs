namespace AcousticCore.Classification;

/// <summary>How a model was trained: stored in the model file for the record, never used for inference.</summary>
public sealed record TrainingMetadata
{
    /// <summary>UTC date and time of training, ISO 8601.</summary>
    public string Date { get; init; } = "";

    /// <summary>Free text naming the corpus (folder, manifest, generator script).</summary>
    public string Corpus { get; init; } = "";

    /// <summary>Audio files used.</summary>
    public int Files { get; init; }

    /// <summary>Analysis windows (training examples) used.</summary>
    public int Windows { get; init; }

    /// <summary>L2 penalty λ of the objective.</summary>
    public double L2 { get; init; }

    /// <summary>Optimiser iterations run.</summary>
    public int Iterations { get; init; }

    /// <summary>Seed of the perceptron's starting weights (ensemble member m: seed + m), of the fold assignment and of the trees' subsampling.</summary>
    public int Seed { get; init; }

    /// <summary>Cross-validation folds (0 when not cross-validated).</summary>
    public int CvFolds { get; init; }

    /// <summary>Cross-validated window accuracy (NaN when not cross-validated).</summary>
    public double CvAccuracy { get; init; } = double.NaN;

    /// <summary>Cross-validated window macro-F1 (NaN when not cross-validated).</summary>
    public double CvMacroF1 { get; init; } = double.NaN;

    /// <summary>How the boosted trees were trained (library, settings, weight); empty without trees.</summary>
    public string Trees { get; init; } = "";

    /// <summary>Training copies added to the recordings (e.g. band-limited copies, see <see cref="ClassifierTraining.ExtractFeatures"/>); empty without.</summary>
    public string Augmentation { get; init; } = "";
}

/// <summary>
/// A trained multinomial logistic-regression (softmax) classifier over <see cref="WindowFeatureExtractor"/>
/// features, with the standardisation it was trained with. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// p(c | x) = softmax_c(b_c + Σ_j W[c, j] · z_j) with z_j = (x_j − μ_j) / σ_j, or with an optional tanh hidden
/// layer h = tanh(W1·z + b1) in place of z (a one-hidden-layer perceptron). With <see cref="Trees"/> the
/// log-probabilities of the perceptron and of the boosted trees are averaged with weights 1 − w and w, and
/// renormalised. <see cref="Predict"/> allocates nothing.
/// </remarks>
public sealed class ClassifierModel
{
    /// <summary>Label reported when the top probability is below <see cref="ConfidenceThreshold"/>.</summary>
    public const string UnknownLabel = "unknown";

    private readonly float[] _means;
    private readonly float[] _inverseSds;
    private readonly float[] _sds;
    private readonly float[] _weights;
    private readonly float[] _bias;
    private readonly string[] _classes;
    private readonly float[] _hiddenWeights;
    private readonly float[] _hiddenBias;

    /// <summary>Largest hidden layer accepted.</summary>
    public const int MaxHiddenUnits = 256;

    /// <summary>Builds a softmax-regression model (no hidden layer); arrays are copied and checked.</summary>
    /// <exception cref="ArgumentException">Shapes disagree, a value is not finite, an SD is not positive, or names repeat.</exception>
    public ClassifierModel(IReadOnlyList<string> classes, WindowFeatureSettings settings, ReadOnlySpan<float> means,
        ReadOnlySpan<float> sds, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, double confidenceThreshold,
        TrainingMetadata training)
        : this(classes, settings, means, sds, [], [], weights, bias, confidenceThreshold, training)
    {
    }

    /// <summary>
    /// Builds a model with an optional tanh hidden layer of <c>hiddenBias.Length</c> units (0 = none):
    /// h = tanh(W1·z + b1), logits = W·h + b. Arrays are copied and checked for shape and finiteness.
    /// </summary>
    /// <param name="classes">Class names in output order.</param>
    /// <param name="settings">Analysis-window settings the features were computed with.</param>
    /// <param name="means">Feature means μ.</param>
    /// <param name="sds">Feature standard deviations σ.</param>
    /// <param name="hiddenWeights">W1, units × features (empty: no hidden layer).</param>
    /// <param name="hiddenBias">b1, one per unit.</param>
    /// <param name="weights">W, classes × inputs.</param>
    /// <param name="bias">b, one per class.</param>
    /// <param name="confidenceThreshold">Below it the label is <see cref="UnknownLabel"/>.</param>
    /// <param name="training">Training record.</param>
    /// <param name="trees">Optional boosted trees combined with the perceptron (see <see cref="TreesWeight"/>).</param>
    /// <param name="treesWeight">Weight w of the trees' log-probabilities, 0–1 (the perceptron's is 1 − w); 0 without trees.</param>
    /// <exception cref="ArgumentException">Shapes disagree, a value is not finite, an SD is not positive, names repeat, or the
    /// trees' class or feature count differs from the model's.</exception>
    public ClassifierModel(IReadOnlyList<string> classes, WindowFeatureSettings settings, ReadOnlySpan<float> means,
        ReadOnlySpan<float> sds, ReadOnlySpan<float> hiddenWeights, ReadOnlySpan<float> hiddenBias, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, double confidenceThreshold, TrainingMetadata training, BoostedTrees? trees = null, double treesWeight = 0)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(training);
        int d = WindowFeatureExtractor.FeatureCount, k = classes.Count;
        if (k < 2) throw new ArgumentException("A classifier needs at least two classes.", nameof(classes));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string c in classes)
        {
            if (string.IsNullOrWhiteSpace(c) || c == UnknownLabel || !seen.Add(c))
            {
                throw new ArgumentException($"Class names must be non-empty, unique and not '{UnknownLabel}': '{c}'.", nameof(classes));
            }
        }

        Check(means, d, nameof(means));
        Check(sds, d, nameof(sds));
        int hidden = hiddenBias.Length;
        if (hidden > MaxHiddenUnits) throw new ArgumentException($"At most {MaxHiddenUnits} hidden units.", nameof(hiddenBias));
        Check(hiddenWeights, hidden * d, nameof(hiddenWeights));
        Check(hiddenBias, hidden, nameof(hiddenBias));
        Check(weights, k * (hidden > 0 ? hidden : d), nameof(weights));
        Check(bias, k, nameof(bias));
        foreach (float s in sds)
        {
            if (!(s > 0)) throw new ArgumentException("Every standard deviation must be > 0.", nameof(sds));
        }

        if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceThreshold), confidenceThreshold, "Must be 0–1.");
        }

        if (trees is null && treesWeight != 0) throw new ArgumentOutOfRangeException(nameof(treesWeight), treesWeight, "Must be 0 without trees.");
        if (trees is not null)
        {
            if (trees.ClassCount != k || trees.FeatureCount != d)
            {
                throw new ArgumentException($"The trees score {trees.ClassCount} classes from {trees.FeatureCount} features; the model has {k} and {d}.", nameof(trees));
            }

            if (!(treesWeight >= 0 && treesWeight <= 1)) throw new ArgumentOutOfRangeException(nameof(treesWeight), treesWeight, "Must be 0–1.");
        }

        settings.Validate();
        Trees = trees;
        TreesWeight = treesWeight;
        _classes = classes.ToArray();
        _means = means.ToArray();
        _sds = sds.ToArray();
        _inverseSds = new float[d];
        for (int j = 0; j < d; j++) _inverseSds[j] = 1f / _sds[j];
        _weights = weights.ToArray();
        _bias = bias.ToArray();
        _hiddenWeights = hiddenWeights.ToArray();
        _hiddenBias = hiddenBias.ToArray();
        Settings = settings;
        ConfidenceThreshold = confidenceThreshold;
        Training = training;
    }

    /// <summary>Class names in output order.</summary>
    public IReadOnlyList<string> Classes => _classes;

    /// <summary>Number of classes.</summary>
    public int ClassCount => _classes.Length;

    /// <summary>Feature names the model expects, in order (always <see cref="WindowFeatureExtractor.FeatureNames"/>).</summary>
    public static IReadOnlyList<string> FeatureNames => WindowFeatureExtractor.FeatureNames;

    /// <summary>Analysis-window settings the model was trained with.</summary>
    public WindowFeatureSettings Settings { get; }

    /// <summary>Below this top probability the label is <see cref="UnknownLabel"/>.</summary>
    public double ConfidenceThreshold { get; }

    /// <summary>Training record.</summary>
    public TrainingMetadata Training { get; }

    /// <summary>Feature means μ used for standardisation.</summary>
    public ReadOnlySpan<float> Means => _means;

    /// <summary>Feature standard deviations σ used for standardisation.</summary>
    public ReadOnlySpan<float> StandardDeviations => _sds;

    /// <summary>Hidden units (0: plain softmax regression).</summary>
    public int HiddenUnits => _hiddenBias.Length;

    /// <summary>Hidden-layer weights W1, row-major units × features (empty without a hidden layer).</summary>
    public ReadOnlySpan<float> HiddenWeights => _hiddenWeights;

    /// <summary>Hidden-layer biases b1.</summary>
    public ReadOnlySpan<float> HiddenBias => _hiddenBias;

    /// <summary>Output weights W, row-major classes × inputs (features, or hidden units when there is a hidden layer).</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>Bias b per class.</summary>
    public ReadOnlySpan<float> Bias => _bias;

    /// <summary>Optional gradient-boosted trees on the raw features, combined with the perceptron; null when there are none.</summary>
    public BoostedTrees? Trees { get; }

    /// <summary>Weight w of the trees' log-probabilities (0 without trees).</summary>
    public double TreesWeight { get; }

    /// <summary>A copy of this model with <paramref name="trees"/> combined at weight <paramref name="weight"/>.</summary>
    /// <exception cref="ArgumentException">The trees' class or feature count differs, or the weight is outside 0–1.</exception>
    public ClassifierModel WithTrees(BoostedTrees trees, double weight, TrainingMetadata training)
    {
        ArgumentNullException.ThrowIfNull(trees);
        return Copy(ConfidenceThreshold, training, trees, weight);
    }

    /// <summary>A copy of this model that labels windows below <paramref name="threshold"/> unknown.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is not within 0–1.</exception>
    public ClassifierModel WithConfidenceThreshold(double threshold)
    {
        return Copy(threshold, Training, Trees, TreesWeight);   // the constructor checks the threshold (0–1)
    }

    private ClassifierModel Copy(double threshold, TrainingMetadata training, BoostedTrees? trees, double treesWeight) =>
        new(_classes, Settings, _means, _sds, _hiddenWeights, _hiddenBias, _weights, _bias, threshold, training, trees, treesWeight);

    /// <summary>Writes class probabilities (summing to 1) for one feature vector; returns the index of the most probable class.</summary>
    /// <param name="features">A vector in <see cref="FeatureNames"/> order.</param>
    /// <param name="probabilities">Receives <see cref="ClassCount"/> values.</param>
    public int Predict(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        int d = _means.Length, k = _classes.Length;
        if (features.Length != d) throw new ArgumentException($"Expected {d} features, got {features.Length}.", nameof(features));
        if (probabilities.Length < k) throw new ArgumentException($"Probabilities need {k} values.", nameof(probabilities));
        float max = float.NegativeInfinity;
        int best = 0;
        int hidden = _hiddenBias.Length;
        Span<float> h = stackalloc float[hidden];
        for (int u = 0; u < hidden; u++)
        {
            ReadOnlySpan<float> w1 = _hiddenWeights.AsSpan(u * d, d);
            double a = _hiddenBias[u];
            for (int j = 0; j < d; j++) a += w1[j] * ((features[j] - _means[j]) * _inverseSds[j]);
            h[u] = (float)Math.Tanh(a);
        }

        for (int c = 0; c < k; c++)
        {
            double z = _bias[c];
            if (hidden > 0)
            {
                ReadOnlySpan<float> w2 = _weights.AsSpan(c * hidden, hidden);
                for (int u = 0; u < hidden; u++) z += w2[u] * h[u];
            }
            else
            {
                ReadOnlySpan<float> w = _weights.AsSpan(c * d, d);
                for (int j = 0; j < d; j++) z += w[j] * ((features[j] - _means[j]) * _inverseSds[j]);
            }

            float zf = (float)z;
            probabilities[c] = zf;
            if (zf > max)
            {
                max = zf;
                best = c;
            }
        }

        if (Trees is not null)
        {
            best = CombineWithTrees(features, probabilities, max);
            max = 0f;
        }

        double sum = 0;
        for (int c = 0; c < k; c++)
        {
            float e = MathF.Exp(probabilities[c] - max);
            probabilities[c] = e;
            sum += e;
        }

        if (!double.IsFinite(sum) || !(sum > 0))
        {
            // Logits overflowed (only a model file with extreme weights or SDs can do that): favour no class, so the
            // window is labelled unknown at any threshold above 1/k instead of silently taking class 0.
            probabilities[..k].Fill(1f / k);
            return 0;
        }

        float inv = (float)(1 / sum);
        for (int c = 0; c < k; c++) probabilities[c] *= inv;
        return best;
    }

    /// <summary>
    /// Replaces the perceptron's logits (whose maximum is <paramref name="max"/>) with (1 − w)·log p_mlp + w·log p_trees
    /// shifted so that their maximum is 0, where p_trees is the softmax of the trees' margins; returns the top class.
    /// </summary>
    private int CombineWithTrees(ReadOnlySpan<float> features, Span<float> logits, float max)
    {
        int k = _classes.Length;
        Span<double> margins = stackalloc double[k];
        Trees!.Margins(features, margins);
        double mlpLog = 0, treeMax = double.NegativeInfinity, treeLog = 0;
        for (int c = 0; c < k; c++)
        {
            mlpLog += Math.Exp(logits[c] - max);
            treeMax = Math.Max(treeMax, margins[c]);
        }

        for (int c = 0; c < k; c++) treeLog += Math.Exp(margins[c] - treeMax);
        mlpLog = max + Math.Log(mlpLog);
        treeLog = treeMax + Math.Log(treeLog);
        // The combined log-probabilities are formed in double and shifted by their maximum before the cast, so
        // extreme (finite) margins from a model file cannot overflow to −∞ in float.
        double w = TreesWeight;
        double zMax = double.NegativeInfinity;
        int best = 0;
        for (int c = 0; c < k; c++)
        {
            double z = (1 - w) * (logits[c] - mlpLog) + w * (margins[c] - treeLog);
            margins[c] = z;
            if (z > zMax)
            {
                zMax = z;
                best = c;
            }
        }

        for (int c = 0; c < k; c++) logits[c] = (float)(margins[c] - zMax);
        return best;
    }

    /// <summary>The reported label for a top class and its probability: the class name, or <see cref="UnknownLabel"/> below the threshold.</summary>
    public string LabelFor(int classIndex, double probability) =>
        probability < ConfidenceThreshold ? UnknownLabel : _classes[classIndex];

    private static void Check(ReadOnlySpan<float> values, int expected, string name)
    {
        if (values.Length != expected) throw new ArgumentException($"{name} needs {expected} values, got {values.Length}.", name);
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) throw new ArgumentException($"{name} contains a non-finite value.", name);
        }
    }
}
