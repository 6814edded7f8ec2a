using System.Globalization;
using AcousticCore.Classification;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace AcousticCore.Training;

/// <summary>
/// Trains <see cref="BoostedTrees"/> with LightGBM (through ML.NET): one binary gradient-boosted ensemble per
/// class (that class against the rest), positives and negatives weighted to equal total weight. The trees are
/// copied out of ML.NET's model into the core's own format, which runs them without ML.NET. One thread and a
/// fixed seed make the result depend on the data and settings only.
/// </summary>
public sealed class LightGbmTreesTrainer : IBoostedTreesTrainer
{
    /// <summary>Most boosting iterations accepted.</summary>
    public const int MaxIterations = 10_000;

    /// <summary>Boosting iterations (trees) per class.</summary>
    public int Iterations { get; init; } = 300;

    /// <summary>Leaves per tree.</summary>
    public int Leaves { get; init; } = 15;

    /// <summary>Learning rate (shrinkage).</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Fewest examples in a leaf.</summary>
    public int MinExamplesPerLeaf { get; init; } = 20;

    /// <summary>Share of the features each tree may use (column subsampling).</summary>
    public double FeatureFraction { get; init; } = 0.5;

    /// <summary>Share of the examples each iteration uses (row subsampling).</summary>
    public double SubsampleFraction { get; init; } = 0.8;

    /// <summary>L2 penalty on leaf values.</summary>
    public double L2 { get; init; } = 1;

    /// <summary>Seed of the subsampling.</summary>
    public int Seed { get; init; } = 1;

    /// <inheritdoc/>
    public double Weight { get; init; } = 0.5;

    /// <inheritdoc/>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"LightGBM (Microsoft.ML.LightGbm {LibraryVersion}), one-vs-rest, class-balanced: {Iterations} iterations, {Leaves} leaves, learning rate {LearningRate}, min leaf {MinExamplesPerLeaf}, feature fraction {FeatureFraction}, subsample {SubsampleFraction}, L2 {L2}, seed {Seed}; combined at weight {Weight}");

    /// <summary>Informational version of the ML.NET LightGBM package in use (without the source hash).</summary>
    private static string LibraryVersion =>
        (typeof(LightGbmBinaryTrainer).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .FirstOrDefault() as System.Reflection.AssemblyInformationalVersionAttribute)?.InformationalVersion.Split('+')[0] ?? "unknown version";

    /// <inheritdoc/>
    public BoostedTrees Train(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int featureCount, int classCount)
    {
        Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        int n = labels.Length;
        if (features.Length != n * featureCount)
        {
            throw new ArgumentException($"{features.Length} feature values are not {n} examples × {featureCount} features.", nameof(features));
        }

        if ((int)(n * SubsampleFraction) < 2 * MinExamplesPerLeaf)
        {
            // Each iteration sees n × SubsampleFraction examples; with fewer than two leaves' worth LightGBM cannot split
            // at all, and ML.NET fails on the resulting stump-only model.
            throw new ArgumentException(
                $"{n} training examples ({(int)(n * SubsampleFraction)} per iteration after subsampling) are fewer than 2 × the {MinExamplesPerLeaf} examples a leaf needs; lower the minimum leaf size or add data.",
                nameof(labels));
        }

        var perClass = new int[classCount];
        foreach (int y in labels)
        {
            if ((uint)y >= (uint)classCount) throw new ArgumentException($"Label {y} is not 0–{classCount - 1}.", nameof(labels));
            perClass[y]++;
        }

        for (int c = 0; c < classCount; c++)
        {
            if (perClass[c] == 0) throw new ArgumentException($"Class {c} has no example; boosted trees need every class.", nameof(labels));
        }

        var rows = new Example[n];
        for (int i = 0; i < n; i++) rows[i] = new Example { Features = features.Slice(i * featureCount, featureCount).ToArray() };
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        var trees = new List<DecisionTree>();
        var bias = new float[classCount];
        for (int c = 0; c < classCount; c++)
        {
            float positive = n / (2f * perClass[c]), negative = n / (2f * (n - perClass[c]));
            for (int i = 0; i < n; i++)
            {
                rows[i].Label = labels[i] == c;
                rows[i].Weight = rows[i].Label ? positive : negative;
            }

            var ml = new MLContext(Seed);
            IDataView data = ml.Data.LoadFromEnumerable(rows, schema);
            var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                NumberOfIterations = Iterations,
                NumberOfLeaves = Leaves,
                LearningRate = LearningRate,
                MinimumExampleCountPerLeaf = MinExamplesPerLeaf,
                ExampleWeightColumnName = nameof(Example.Weight),
                Seed = Seed,
                NumberOfThreads = 1,
                Booster = new GradientBooster.Options
                {
                    L2Regularization = L2,
                    FeatureFraction = FeatureFraction,
                    SubsampleFraction = SubsampleFraction,
                    SubsampleFrequency = 1,
                },
            });
            RegressionTreeEnsemble ensemble;
            try
            {
                ensemble = trainer.Fit(data).Model.SubModel.TrainedTreeEnsemble;
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException
                or TypeInitializationException { InnerException: DllNotFoundException or BadImageFormatException })
            {
                throw new TreesUnavailableException(
                    "LightGBM's native library could not be loaded: it ships for x64 Windows, Linux and macOS, and on Linux needs the OpenMP runtime (Debian/Ubuntu: apt-get install libgomp1). Train without boosted trees, or on such a machine.",
                    e);
            }
            catch (ArgumentNullException e)
            {
                // ML.NET fails this way when LightGBM found no split at all (a model of one-leaf trees).
                throw new ArgumentException(
                    $"class {c}: LightGBM found no split at all (too few examples per leaf after subsampling, or features without variation); lower the minimum leaf size or add data.",
                    nameof(features), e);
            }

            bias[c] = (float)ensemble.Bias;
            for (int t = 0; t < ensemble.Trees.Count; t++) trees.Add(Convert(ensemble.Trees[t], ensemble.TreeWeights[t], c));
        }

        return new BoostedTrees(classCount, featureCount, trees, bias);
    }

    /// <summary>Checks every setting (also done by <see cref="Train"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the parameter name is the property's.</exception>
    public void Validate()
    {
        if (Iterations < 1 || Iterations > MaxIterations) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, $"Must be 1–{MaxIterations}.");
        if (Leaves < 2 || Leaves > BoostedTrees.MaxLeavesPerTree)
        {
            throw new ArgumentOutOfRangeException(nameof(Leaves), Leaves, $"Must be 2–{BoostedTrees.MaxLeavesPerTree}.");
        }

        if (!(LearningRate > 0 && LearningRate <= 1)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Must be in (0, 1].");
        if (MinExamplesPerLeaf < 1) throw new ArgumentOutOfRangeException(nameof(MinExamplesPerLeaf), MinExamplesPerLeaf, "Must be ≥ 1.");
        if (!(FeatureFraction > 0 && FeatureFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(FeatureFraction), FeatureFraction, "Must be in (0, 1].");
        if (!(SubsampleFraction > 0 && SubsampleFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SubsampleFraction), SubsampleFraction, "Must be in (0, 1].");
        }

        if (!(L2 >= 0 && double.IsFinite(L2))) throw new ArgumentOutOfRangeException(nameof(L2), L2, "Must be ≥ 0.");
        if (!(Weight >= 0 && Weight <= 1)) throw new ArgumentOutOfRangeException(nameof(Weight), Weight, "Must be 0–1.");
    }

    /// <summary>ML.NET's tree as the core's: same node numbering (x ≤ threshold goes left, child &lt; 0 is leaf ~child), the tree's weight folded into its leaves.</summary>
    private static DecisionTree Convert(RegressionTree tree, double weight, int classIndex)
    {
        if (tree.CategoricalSplitFlags.Any(f => f))
        {
            throw new InvalidOperationException("LightGBM produced a categorical split; the features are all numeric, so this is not expected.");
        }

        var leaves = new float[tree.LeafValues.Count];
        for (int l = 0; l < leaves.Length; l++) leaves[l] = (float)(tree.LeafValues[l] * weight);
        return new DecisionTree(classIndex, tree.NumericalSplitFeatureIndexes.ToArray(), tree.NumericalSplitThresholds.ToArray(),
            tree.LeftChild.ToArray(), tree.RightChild.ToArray(), leaves);
    }

    /// <summary>One training example as ML.NET reads it.</summary>
    private sealed class Example
    {
        [VectorType]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }

        public float Weight { get; set; }
    }
}

/// <summary>The boosted-tree library cannot run on this machine (its native part is missing or cannot load).</summary>
public sealed class TreesUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TreesUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
