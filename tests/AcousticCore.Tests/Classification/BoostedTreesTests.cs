using System.Text.Json.Nodes;
using AcousticCore.Classification;
using Xunit;

namespace AcousticCore.Tests.Classification;

/// <summary>Boosted-tree inference, its combination with the perceptron and its model-file section, on trees whose answer is worked out by hand.</summary>
public class BoostedTreesTests
{
    private static readonly int D = WindowFeatureExtractor.FeatureCount;

    /// <summary>
    /// Class 0: x[3] ≤ 0.5 → (x[7] ≤ −1 → 10, else 20), else 30. Class 1: a single leaf of 5. Class 2: x[7] ≤ 2 → −4, else 6.
    /// Node numbering as LightGBM's: internal children follow their parent; child &lt; 0 is leaf ~child.
    /// </summary>
    internal static BoostedTrees HandMade() => new(3, D,
    [
        new DecisionTree(0, [3, 7], [0.5f, -1f], [1, ~0], [~2, ~1], [10f, 20f, 30f]),
        new DecisionTree(1, [], [], [], [], [5f]),
        new DecisionTree(2, [7], [2f], [~0], [~1], [-4f, 6f]),
    ], [1f, 2f, 3f]);

    private static float[] Vector(float x3, float x7)
    {
        var x = new float[D];
        x[3] = x3;
        x[7] = x7;
        return x;
    }

    [Fact]
    public void TreesComeBackAsGivenAndCannotBeChangedFromOutside()
    {
        BoostedTrees trees = HandMade();
        DecisionTree first = trees.GetTree(0);
        Assert.Equal([3, 7], first.SplitFeature);
        Assert.Equal([10f, 20f, 30f], first.LeafValues);
        Assert.Empty(trees.GetTree(1).SplitFeature);
        first.LeafValues[0] = 1000;
        var margins = new double[3];
        trees.Margins(Vector(0f, -5f), margins);
        Assert.Equal(11, margins[0]);
    }

    [Theory]
    [InlineData(0.5f, -1f, 11, 7, -1)] // both tests take the "≤" branch exactly at the threshold
    [InlineData(0.0f, 0f, 21, 7, -1)]
    [InlineData(0.6f, 5f, 31, 7, 9)]
    [InlineData(-9f, 2.0001f, 21, 7, 9)]
    public void MarginsFollowTheTreesByHand(float x3, float x7, double m0, double m1, double m2)
    {
        var margins = new double[3];
        HandMade().Margins(Vector(x3, x7), margins);
        Assert.Equal([m0, m1, m2], margins);
    }

    /// <summary>Two-leaf trees on 3 classes, each broken in one way.</summary>
    private static DecisionTree Broken(string how) => how switch
    {
        "class" => new DecisionTree(3, [0], [0f], [~0], [~1], [1f, 2f]),
        "feature" => new DecisionTree(0, [999], [0f], [~0], [~1], [1f, 2f]),
        "cycle" => new DecisionTree(0, [0, 0], [0f, 0f], [0, ~0], [~1, ~2], [1f, 2f, 3f]), // node 0 is its own child
        "leaf twice" => new DecisionTree(0, [0], [0f], [~0], [~0], [1f, 2f]),
        "leaf missing" => new DecisionTree(0, [0], [0f], [~0], [~5], [1f, 2f]),
        "shape" => new DecisionTree(0, [0, 0], [0f, 0f], [~0, ~1], [~1, ~0], [1f, 2f]),
        _ => throw new ArgumentOutOfRangeException(nameof(how)),
    };

    [Theory]
    [InlineData("class", "class 3 is not 0–2")]
    [InlineData("feature", "tests feature 999")]
    [InlineData("cycle", "child node 0")]
    [InlineData("leaf twice", "leaf 0 has two parents")]
    [InlineData("leaf missing", "refers to leaf 5")]
    [InlineData("shape", "2 leaves need 1 internal nodes")]
    public void MalformedTreesAreRefusedWithTheReason(string how, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => new BoostedTrees(3, D, [Broken(how)], new float[3]));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("Tree 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreachableNodesAndNonFiniteValuesAreRefused()
    {
        // 3 leaves, 2 internal nodes, but node 1 is never a child. Its child slots must then repeat a leaf (there
        // are 2(L − 1) slots for L − 2 nodes and L leaves), which is what is caught.
        var unreachable = new DecisionTree(0, [0, 0], [0f, 0f], [~0, ~1], [~2, ~1], [1f, 2f, 3f]);
        Assert.Contains("leaf 1 has two parents", Assert.Throws<ArgumentException>(() => new BoostedTrees(2, D, [unreachable], [0f, 0f])).Message, StringComparison.Ordinal);
        var nan = new DecisionTree(0, [0], [float.NaN], [~0], [~1], [1f, 2f]);
        Assert.Contains("threshold", Assert.Throws<ArgumentException>(() => new BoostedTrees(2, D, [nan], [0f, 0f])).Message, StringComparison.Ordinal);
        var inf = new DecisionTree(0, [0], [0f], [~0], [~1], [1f, float.PositiveInfinity]);
        Assert.Throws<ArgumentException>(() => new BoostedTrees(2, D, [inf], [0f, 0f]));
    }

    /// <summary>The separable perceptron model of <see cref="ClassifierModelTests"/> with the hand-made trees at weight w.</summary>
    private static ClassifierModel Combined(double weight) =>
        ClassifierModelTests.TrainSeparable().WithTrees(HandMade(), weight, new TrainingMetadata { Trees = "hand-made" });

    [Fact]
    public void CombinationIsTheWeightedMeanOfLogProbabilities()
    {
        ClassifierModel mlp = ClassifierModelTests.TrainSeparable();
        var (x, _) = ClassifierModelTests.Separable(5, 42);
        var pm = new float[3];
        var pc = new float[3];
        var margins = new double[3];
        for (int i = 0; i < 15; i++)
        {
            ReadOnlySpan<float> v = x.AsSpan(i * D, D);
            mlp.Predict(v, pm);
            HandMade().Margins(v, margins);
            double tz = margins.Select(Math.Exp).Sum();
            foreach (double w in new[] { 0.0, 0.3, 1.0 })
            {
                int best = Combined(w).Predict(v, pc);
                // p ∝ p_mlp^(1−w) · p_trees^w, renormalised.
                var expected = Enumerable.Range(0, 3).Select(c => Math.Pow(pm[c], 1 - w) * Math.Pow(Math.Exp(margins[c]) / tz, w)).ToArray();
                double s = expected.Sum();
                for (int c = 0; c < 3; c++) Assert.Equal(expected[c] / s, pc[c], 4);
                Assert.Equal(Array.IndexOf(expected, expected.Max()), best);
            }
        }
    }

    [Fact]
    public void SavedAndReloadedModelWithTreesGivesIdenticalOutputs()
    {
        ClassifierModel model = Combined(0.5);
        using var stream = new MemoryStream();
        ClassifierModelFile.Write(model, stream);
        var json = JsonNode.Parse(stream.ToArray())!.AsObject();
        Assert.Equal(ClassifierModelFile.FormatVersionWithTrees, (int)json["format_version"]!);
        Assert.Equal("hand-made", (string)json["training"]!["trees"]!);
        stream.Position = 0;
        ClassifierModel reloaded = ClassifierModelFile.Read(stream, "m.json");
        Assert.Equal(3, reloaded.Trees!.TreeCount);
        var (x, _) = ClassifierModelTests.Separable(10, 7);
        var a = new float[3];
        var b = new float[3];
        for (int i = 0; i < 30; i++)
        {
            x[i * D + 3] = i % 2 == 0 ? 0.5f : 0.75f;
            Assert.Equal(model.Predict(x.AsSpan(i * D, D), a), reloaded.Predict(x.AsSpan(i * D, D), b));
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void RandomThresholdsAndLeavesSurviveTheFileBitForBit()
    {
        var rng = new Random(5);
        var trees = new List<DecisionTree>();
        for (int t = 0; t < 20; t++)
        {
            float F() => (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-6, 6)));
            trees.Add(new DecisionTree(t % 3, [rng.Next(D), rng.Next(D)], [F(), F()], [1, ~0], [~2, ~1], [F(), F(), F()]));
        }

        var random = new BoostedTrees(3, D, trees, [0.1f, -0.2f, 0.3f]);
        ClassifierModel model = ClassifierModelTests.TrainSeparable().WithTrees(random, 0.5, new TrainingMetadata());
        using var stream = new MemoryStream();
        ClassifierModelFile.Write(model, stream);
        stream.Position = 0;
        BoostedTrees back = ClassifierModelFile.Read(stream, "m.json").Trees!;
        for (int t = 0; t < trees.Count; t++)
        {
            Assert.Equal(trees[t].Threshold, back.GetTree(t).Threshold);
            Assert.Equal(trees[t].LeafValues, back.GetTree(t).LeafValues);
            Assert.Equal(trees[t].SplitFeature, back.GetTree(t).SplitFeature);
        }

        Assert.Equal(random.Bias.ToArray(), back.Bias.ToArray());
    }

    [Fact]
    public void ExtremeMarginsGiveFiniteProbabilities()
    {
        // Finite but huge leaf values from a file must not turn the combination into NaN.
        var huge = new BoostedTrees(3, D, [new DecisionTree(0, [], [], [], [], [3e38f]), new DecisionTree(1, [], [], [], [], [-3e38f])], [0f, 0f, 0f]);
        ClassifierModel model = ClassifierModelTests.TrainSeparable().WithTrees(huge, 0.5, new TrainingMetadata());
        var p = new float[3];
        Assert.Equal(0, model.Predict(new float[D], p));
        Assert.All(p, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1.0, p.Sum(), 5);
    }

    private static JsonObject JsonWithTrees()
    {
        using var stream = new MemoryStream();
        ClassifierModelFile.Write(Combined(0.5), stream);
        return JsonNode.Parse(stream.ToArray())!.AsObject();
    }

    private static ModelFileException Refused(JsonObject json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
        return Assert.Throws<ModelFileException>(() => ClassifierModelFile.Read(stream, "m.json"));
    }

    [Theory]
    [InlineData("split_feature", "[3, 400]", "boosted_trees.trees[0]")]
    [InlineData("left", "[0, -1]", "boosted_trees.trees[0]")]
    [InlineData("threshold", "[0.5]", "boosted_trees.trees[0].threshold")]
    [InlineData("leaf_value", "[]", "boosted_trees.trees[0].leaf_value")]
    [InlineData("class", "7", "boosted_trees.trees[0]")]
    [InlineData("right", "[\"x\", -2]", "boosted_trees.trees[0].right[0]")]
    public void CorruptTreeIsRefusedWithItsPath(string field, string value, string expectedField)
    {
        var json = JsonWithTrees();
        json["boosted_trees"]!["trees"]![0]![field] = JsonNode.Parse(value);
        ModelFileException e = Refused(json);
        Assert.Equal(expectedField, e.Field);
    }

    [Fact]
    public void TreesSectionMustMatchTheFormatVersion()
    {
        var withTrees = JsonWithTrees();
        withTrees["format_version"] = 1;
        Assert.Equal("boosted_trees", Refused(withTrees).Field);
        var withoutTrees = JsonWithTrees();
        withoutTrees.Remove("boosted_trees");
        Assert.Equal("boosted_trees", Refused(withoutTrees).Field);
        var badWeight = JsonWithTrees();
        badWeight["boosted_trees"]!["weight"] = 1.5;
        Assert.Equal("boosted_trees.weight", Refused(badWeight).Field);
        var badBias = JsonWithTrees();
        badBias["boosted_trees"]!["bias"] = JsonNode.Parse("[1, 2]");
        Assert.Equal("boosted_trees.bias", Refused(badBias).Field);
    }

    [Fact]
    public void PredictWithTreesAllocatesNothing()
    {
        ClassifierModel model = Combined(0.5);
        var x = new float[D];
        var p = new float[3];
        Assert.Equal(0, AcousticCore.Tests.TestSupport.AllocationProbe.SteadyStateBytes(() => model.Predict(x, p), warmUp: 3, iterations: 10));
    }
}
