using AcousticCore.Classification;
using AcousticCore.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Xunit;

namespace AcousticCore.Tests.Training;

/// <summary>The LightGBM trainer on problems whose answer is known, checked against ML.NET's own scoring of the same model.</summary>
public class LightGbmTreesTrainerTests
{
    private const int D = 6;

    /// <summary>
    /// Three classes by the signs of x0 and x1 (class 0: same sign, class 1: x0 &gt; 0 &gt; x1, class 2: x0 &lt; 0 &lt; x1):
    /// not linearly separable, exactly separable by axis-aligned splits. x2…x5 are noise.
    /// </summary>
    internal static (float[] X, int[] Y) Quadrants(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n * D];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < D; j++) x[i * D + j] = (float)(rng.NextDouble() * 2 - 1);
            float a = x[i * D], b = x[i * D + 1];
            y[i] = (a > 0) == (b > 0) ? 0 : a > 0 ? 1 : 2;
        }

        return (x, y);
    }

    private static readonly LightGbmTreesTrainer Small = new() { Iterations = 40, Leaves = 7, LearningRate = 0.2, MinExamplesPerLeaf = 5 };

    [Fact]
    public void LearnsANonLinearProblemAndGeneralises()
    {
        var (x, y) = Quadrants(900, 1);
        BoostedTrees trees = Small.Train(x, y, D, 3);
        Assert.Equal(3 * 40, trees.TreeCount);
        var (tx, ty) = Quadrants(600, 2);
        var m = new double[3];
        int correct = 0;
        for (int i = 0; i < ty.Length; i++)
        {
            trees.Margins(tx.AsSpan(i * D, D), m);
            if (Array.IndexOf(m, m.Max()) == ty[i]) correct++;
        }

        // Errors can only come from split points a little off 0 between training points: well under 5 %.
        Assert.True(correct >= 0.95 * ty.Length, $"held-out accuracy {correct}/{ty.Length}");
    }

    [Fact]
    public void MarginsEqualMlNetsOwnScoresOfTheSameModel()
    {
        // ML.NET scores the class-0-versus-rest model the trainer fits (same data, weights and settings); its raw
        // Score must equal the margin the copied trees give, for held-out points too.
        var (x, y) = Quadrants(500, 3);
        BoostedTrees trees = Small.Train(x, y, D, 3);
        int n = y.Length, positives = y.Count(v => v == 0);
        var rows = Enumerable.Range(0, n).Select(i => new Row
        {
            Features = x.AsSpan(i * D, D).ToArray(),
            Label = y[i] == 0,
            Weight = y[i] == 0 ? n / (2f * positives) : n / (2f * (n - positives)),
        }).ToArray();
        var ml = new MLContext(Small.Seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, D);
        var model = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = Small.Iterations, NumberOfLeaves = Small.Leaves, LearningRate = Small.LearningRate,
            MinimumExampleCountPerLeaf = Small.MinExamplesPerLeaf, ExampleWeightColumnName = nameof(Row.Weight), Seed = Small.Seed,
            NumberOfThreads = 1,
            Booster = new GradientBooster.Options { L2Regularization = Small.L2, FeatureFraction = Small.FeatureFraction, SubsampleFraction = Small.SubsampleFraction, SubsampleFrequency = 1 },
        }).Fit(ml.Data.LoadFromEnumerable(rows, schema));
        var (tx, _) = Quadrants(200, 4);
        var test = Enumerable.Range(0, 200).Select(i => new Row { Features = tx.AsSpan(i * D, D).ToArray() }).ToArray();
        float[] scores = model.Transform(ml.Data.LoadFromEnumerable(test, schema)).GetColumn<float>("Score").ToArray();
        var m = new double[3];
        for (int i = 0; i < test.Length; i++)
        {
            trees.Margins(tx.AsSpan(i * D, D), m);
            Assert.Equal(scores[i], m[0], 4);
        }

        Assert.Contains(scores, s => s > 1);
        Assert.Contains(scores, s => s < -1);
    }

    [Fact]
    public void SameDataAndSettingsGiveTheSameTrees()
    {
        var (x, y) = Quadrants(400, 5);
        BoostedTrees a = Small.Train(x, y, D, 3), b = Small.Train(x, y, D, 3);
        Assert.Equal(a.TreeCount, b.TreeCount);
        Assert.Equal(a.Bias.ToArray(), b.Bias.ToArray());
        for (int t = 0; t < a.TreeCount; t++)
        {
            DecisionTree ta = a.GetTree(t), tb = b.GetTree(t);
            Assert.Equal(ta.Class, tb.Class);
            Assert.Equal(ta.SplitFeature, tb.SplitFeature);
            Assert.Equal(ta.Threshold, tb.Threshold);
            Assert.Equal(ta.Left, tb.Left);
            Assert.Equal(ta.Right, tb.Right);
            Assert.Equal(ta.LeafValues, tb.LeafValues);
        }
    }

    [Fact]
    public void DescriptionNamesTheLibraryVersionAndSettings()
    {
        string d = Small.Description;
        Assert.Matches(@"Microsoft\.ML\.LightGbm \d+\.\d+\.\d+\)", d);
        Assert.Contains("40 iterations, 7 leaves, learning rate 0.2", d, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInputsAndSettingsAreNamed()
    {
        var (x, y) = Quadrants(60, 6);
        Assert.Contains("Label 3", Assert.Throws<ArgumentException>(() => Small.Train(x, y.Select(v => v == 2 ? 3 : v).ToArray(), D, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("Class 2 has no example", Assert.Throws<ArgumentException>(() => Small.Train(x, y.Select(v => v % 2).ToArray(), D, 3)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Small.Train(x.AsSpan(1).ToArray(), y, D, 3));
        // 60 examples, 48 per iteration after subsampling: fewer than two leaves of 30.
        Assert.Contains("after subsampling", Assert.Throws<ArgumentException>(() => new LightGbmTreesTrainer { MinExamplesPerLeaf = 30 }.Train(x, y, D, 3)).Message, StringComparison.Ordinal);
        // Features without variation: nothing to split on, so every class gets its prior, and nothing breaks.
        BoostedTrees flat = Small.Train(new float[x.Length], y, D, 3);
        var m = new double[3];
        flat.Margins(new float[D], m);
        Assert.All(m, v => Assert.True(double.IsFinite(v)));
        Assert.Equal("Leaves", Assert.Throws<ArgumentOutOfRangeException>(() => new LightGbmTreesTrainer { Leaves = 1 }.Train(x, y, D, 3)).ParamName);
        Assert.Equal("Weight", Assert.Throws<ArgumentOutOfRangeException>(() => new LightGbmTreesTrainer { Weight = 2 }.Train(x, y, D, 3)).ParamName);
    }

    /// <summary>One example as the test feeds it to ML.NET.</summary>
    public sealed class Row
    {
        /// <summary>Feature vector.</summary>
        [VectorType]
        public float[] Features { get; set; } = [];

        /// <summary>Whether the example is of the positive class.</summary>
        public bool Label { get; set; }

        /// <summary>Example weight.</summary>
        public float Weight { get; set; }
    }
}
