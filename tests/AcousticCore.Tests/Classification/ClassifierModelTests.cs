using AcousticCore.Classification;
using Xunit;

namespace AcousticCore.Tests.Classification;

/// <summary>Trainer, model, metrics and model-file checks on synthetic problems whose answer is known.</summary>
public class ClassifierModelTests
{
    private static readonly string[] ThreeClasses = ["a", "b", "c"];

    /// <summary>Class c lifts feature 10·c by 4 SD; every other feature is N(0, 1) noise.</summary>
    internal static (float[] X, int[] Y) Separable(int perClass, int seed)
    {
        int d = WindowFeatureExtractor.FeatureCount;
        var rng = new Random(seed);
        var x = new float[3 * perClass * d];
        var y = new int[3 * perClass];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < d; j++)
            {
                double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
                x[i * d + j] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) + 100 * j);
            }

            x[i * d + 10 * y[i]] += 4;
        }

        return (x, y);
    }

    internal static ClassifierModel TrainSeparable(int seed = 1) =>
        SoftmaxTrainer.Train(Separable(600, seed).X, Separable(600, seed).Y, ThreeClasses, new WindowFeatureSettings(),
            new SoftmaxTrainerOptions { L2 = 0.05 }, new TrainingMetadata { Date = "2026-01-01T00:00:00Z", Corpus = "synthetic" });

    [Fact]
    public void LearnsASeparableProblemAndGeneralises()
    {
        var model = TrainSeparable();
        var (x, y) = Separable(100, 99);
        int d = WindowFeatureExtractor.FeatureCount;
        var p = new float[3];
        int correct = 0;
        for (int i = 0; i < y.Length; i++)
        {
            int best = model.Predict(x.AsSpan(i * d, d), p);
            Assert.Equal(1.0, p[0] + p[1] + p[2], 5);
            Assert.All(p, v => Assert.InRange(v, 0f, 1f));
            if (best == y[i]) correct++;
        }

        // Class means 4·√2 SD apart: Bayes error per pair Φ(−2.83) ≈ 0.2 %. With 1800 examples and 336
        // mostly irrelevant features some overfitting remains; require ≥ 97 % on held-out data.
        Assert.True(correct >= 0.97 * y.Length, $"held-out accuracy {correct}/{y.Length}");
        // The standardisation stored in the model is the training data's: feature j has mean ≈ 100·j.
        Assert.Equal(500, model.Means[5], 0);
    }

    [Fact]
    public void TrainingIsDeterministicAndSaveReloadIsBitIdentical()
    {
        var a = TrainSeparable();
        var b = TrainSeparable();
        Assert.Equal(a.Weights.ToArray(), b.Weights.ToArray());
        Assert.Equal(a.Bias.ToArray(), b.Bias.ToArray());

        string path = Path.Combine(Path.GetTempPath(), $"ac-model-{Guid.NewGuid():N}.json");
        try
        {
            ClassifierModelFile.Save(a, path);
            var c = ClassifierModelFile.Load(path);
            Assert.Equal(a.Weights.ToArray(), c.Weights.ToArray());
            Assert.Equal(a.Means.ToArray(), c.Means.ToArray());
            Assert.Equal(a.StandardDeviations.ToArray(), c.StandardDeviations.ToArray());
            Assert.Equal(a.Classes, c.Classes);
            Assert.Equal("synthetic", c.Training.Corpus);
            var (x, _) = Separable(5, 3);
            int d = WindowFeatureExtractor.FeatureCount;
            var pa = new float[3];
            var pc = new float[3];
            for (int i = 0; i < 15; i++)
            {
                a.Predict(x.AsSpan(i * d, d), pa);
                c.Predict(x.AsSpan(i * d, d), pc);
                Assert.Equal(pa, pc);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Class = sign(x0 · x1) (XOR of two signs): no linear boundary exists, one hidden layer suffices.</summary>
    private static (float[] X, int[] Y) Xor(int count, int seed)
    {
        int d = WindowFeatureExtractor.FeatureCount;
        var rng = new Random(seed);
        var x = new float[count * d];
        var y = new int[count];
        for (int i = 0; i < count; i++)
        {
            // Two informative features; the others constant (standardised to 0), so the test is about the
            // boundary's shape, not about overfitting 109 noise dimensions.
            x[i * d] = (float)(rng.NextDouble() * 2 - 1);
            x[i * d + 1] = (float)(rng.NextDouble() * 2 - 1);
            y[i] = x[i * d] * x[i * d + 1] > 0 ? 1 : 0;
        }

        return (x, y);
    }

    private static double Accuracy(ClassifierModel model, float[] x, int[] y)
    {
        int d = WindowFeatureExtractor.FeatureCount, correct = 0;
        var p = new float[model.ClassCount];
        for (int i = 0; i < y.Length; i++)
        {
            if (model.Predict(x.AsSpan(i * d, d), p) == y[i]) correct++;
            Assert.Equal(1.0, p.Sum(), 5);
        }

        return (double)correct / y.Length;
    }

    [Fact]
    public void EnsembleEqualsTheLogitAverageOfItsSeparatelyTrainedMembers()
    {
        var (x, y) = Xor(400, 5);
        var (xt, _) = Xor(100, 6);
        string[] classes = ["different", "same"];
        var member = new SoftmaxTrainerOptions { L2 = 1e-3, HiddenUnits = 6, MaxIterations = 150 };
        var pair = new SoftmaxTrainerOptions { L2 = 1e-3, HiddenUnits = 6, MaxIterations = 150, EnsembleMembers = 2 };
        var m0 = SoftmaxTrainer.Train(x, y, classes, new WindowFeatureSettings(), member, new TrainingMetadata { Seed = 7 });
        var m1 = SoftmaxTrainer.Train(x, y, classes, new WindowFeatureSettings(), member, new TrainingMetadata { Seed = 8 });
        var ensemble = SoftmaxTrainer.Train(x, y, classes, new WindowFeatureSettings(), pair, new TrainingMetadata { Seed = 7 });
        Assert.Equal(12, ensemble.HiddenUnits);
        int d = WindowFeatureExtractor.FeatureCount;
        var p0 = new float[2];
        var p1 = new float[2];
        var pe = new float[2];
        for (int i = 0; i < 100; i++)
        {
            m0.Predict(xt.AsSpan(i * d, d), p0);
            m1.Predict(xt.AsSpan(i * d, d), p1);
            ensemble.Predict(xt.AsSpan(i * d, d), pe);
            // Averaged logits: log-odds of the ensemble = mean of the members' log-odds.
            double expected = (Math.Log(p0[1] / p0[0]) + Math.Log(p1[1] / p1[0])) / 2;
            Assert.Equal(expected, Math.Log(pe[1] / pe[0]), 3);
        }

        Assert.Throws<ArgumentException>(() => SoftmaxTrainer.Train(x, y, classes, new WindowFeatureSettings(),
            new SoftmaxTrainerOptions { EnsembleMembers = 2 }, new TrainingMetadata()));
    }

    [Fact]
    public void HiddenLayerLearnsXorThatSoftmaxRegressionCannot()
    {
        var (x, y) = Xor(600, 1);
        var (xt, yt) = Xor(400, 2);
        string[] classes = ["different", "same"];
        var linear = SoftmaxTrainer.Train(x, y, classes, new WindowFeatureSettings(), new SoftmaxTrainerOptions { L2 = 1e-3 }, new TrainingMetadata());
        var mlpOptions = new SoftmaxTrainerOptions { L2 = 1e-3, HiddenUnits = 8, MaxIterations = 300 };
        var mlp = SoftmaxTrainer.Train(x, y, classes, new WindowFeatureSettings(), mlpOptions, new TrainingMetadata { Seed = 3 });
        Assert.InRange(Accuracy(linear, xt, yt), 0.3, 0.7);      // chance level: no linear separation
        Assert.True(Accuracy(mlp, xt, yt) > 0.85, $"MLP held-out accuracy {Accuracy(mlp, xt, yt)}");

        // Same seed, same network; a saved and reloaded network gives bit-identical outputs.
        var again = SoftmaxTrainer.Train(x, y, classes, new WindowFeatureSettings(), mlpOptions, new TrainingMetadata { Seed = 3 });
        Assert.Equal(mlp.HiddenWeights.ToArray(), again.HiddenWeights.ToArray());
        using var stream = new MemoryStream();
        ClassifierModelFile.Write(mlp, stream);
        stream.Position = 0;
        var reloaded = ClassifierModelFile.Read(stream, "mlp.json");
        Assert.Equal(8, reloaded.HiddenUnits);
        int d = WindowFeatureExtractor.FeatureCount;
        var pa = new float[2];
        var pb = new float[2];
        for (int i = 0; i < 50; i++)
        {
            mlp.Predict(xt.AsSpan(i * d, d), pa);
            reloaded.Predict(xt.AsSpan(i * d, d), pb);
            Assert.Equal(pa, pb);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) mlp.Predict(xt.AsSpan(0, d), pa);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void PredictAllocatesNothing()
    {
        var model = TrainSeparable();
        var (x, _) = Separable(2, 5);
        var p = new float[3];
        int d = WindowFeatureExtractor.FeatureCount;
        model.Predict(x.AsSpan(0, d), p);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) model.Predict(x.AsSpan(0, d), p);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void UnknownBelowTheThreshold()
    {
        var model = TrainSeparable();
        Assert.Equal("unknown", model.LabelFor(0, 0.39));
        Assert.Equal("a", model.LabelFor(0, 0.41));

        // Another threshold changes only the labelling, not the probabilities.
        var strict = model.WithConfidenceThreshold(0.6);
        Assert.Equal(0.6, strict.ConfidenceThreshold);
        Assert.Equal(0.4, model.ConfidenceThreshold, 12);
        Assert.Equal("unknown", strict.LabelFor(0, 0.59));
        Assert.Equal("a", strict.LabelFor(0, 0.61));
        var (x, _) = Separable(2, 5);
        int d = WindowFeatureExtractor.FeatureCount;
        float[] p = new float[3], q = new float[3];
        for (int i = 0; i < x.Length / d; i++)
        {
            Assert.Equal(model.Predict(x.AsSpan(i * d, d), p), strict.Predict(x.AsSpan(i * d, d), q));
            Assert.Equal(p, q);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => model.WithConfidenceThreshold(1.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.WithConfidenceThreshold(double.NaN));
    }

    [Fact]
    public void MetricsMatchAHandCountedExample()
    {
        // truth 0,0,0,1,1,2 / predicted 0,0,1,1,2,2:
        // class 0: P = 2/2, R = 2/3, F1 = 0.8; class 1: P = 1/2, R = 1/2, F1 = 0.5; class 2: P = 1/2, R = 1, F1 = 2/3.
        var m = ClassificationMetrics.Compute(ThreeClasses, [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        Assert.Equal(1.0, m.Precision[0], 12);
        Assert.Equal(2.0 / 3, m.Recall[0], 12);
        Assert.Equal(0.8, m.F1[0], 12);
        Assert.Equal(0.5, m.F1[1], 12);
        Assert.Equal(2.0 / 3, m.F1[2], 12);
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, m.MacroF1, 12);
        Assert.Equal(1, m.Confusion(0, 1));
        Assert.Equal(1, m.Confusion(1, 2));
    }

    [Fact]
    public void ConfusionPngIsAValidPng()
    {
        var m = ClassificationMetrics.Compute(ThreeClasses, [0, 1, 2, 2], [0, 1, 2, 1]);
        byte[] png = ConfusionMatrixPng.Render(m, "test");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        // CRC-32 known answer (ISO 3309): "123456789" → CBF43926.
        Assert.Equal(0xCBF43926u, ConfusionMatrixPng.Crc32("123456789"u8, 0xFFFFFFFFu) ^ 0xFFFFFFFFu);
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(png, png.Length - 8, 4));
    }
}
