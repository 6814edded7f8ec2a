#:project ../../src/AcousticCore/AcousticCore.csproj
#:project ../../src/AcousticCore.Training/AcousticCore.Training.csproj
#:property AssemblyName=AcousticCore.NarrowbandEval
#:property PublishAot=false

// Reproduces the table "Narrow-band sensors" of docs/classification.md.
// Five-fold cross-validation of the built-in recipe (32 tanh units, λ 1e-3, 300 LightGBM iterations per class at
// weight 0.5), folds dealt by source with --seed as `acoustic evaluate --folds 5` deals them; each fold's model is
// scored on the held-out sources' full-band windows (the figure `evaluate` prints) AND on the same sources recorded
// at 8 kHz (nb8.csv from make_8k.sh). With "copies", training also uses band-limited copies at 8000 Hz
// (`--augment-rates 8000`), which are never scored.
// Usage (CORPUS from samples/corpus/make_corpus.sh, then scripts/classification/make_8k.sh CORPUS):
//   dotnet run -c Release scripts/classification/NarrowbandEval.cs -- CORPUS/manifest.csv CORPUS/nb8.csv SEED [copies]
using System.Globalization;
using AcousticCore.Classification;
using AcousticCore.Training;

if (args.Length < 3) throw new ArgumentException("usage: manifest.csv nb8.csv SEED [copies]");
var set = LabelledAudioSet.Load(args[0]);
var narrow = LabelledAudioSet.Load(args[1]);
int seed = int.Parse(args[2], CultureInfo.InvariantCulture);
int[] rates = args.Length > 3 && args[3] == "copies" ? [8000] : [];
var settings = new WindowFeatureSettings();
var wide = ClassifierTraining.ExtractFeatures(set, settings, copyRates: rates);
var narrowTable = ClassifierTraining.ExtractFeatures(narrow, settings);
int[] folds = ClassifierTraining.AssignFolds(set, 5, seed);
var sourceFold = new Dictionary<string, int>(StringComparer.Ordinal);
for (int i = 0; i < set.Files.Count; i++) sourceFold[set.Files[i].Source] = folds[i];
var classes = set.Classes.ToList();
int d = WindowFeatureExtractor.FeatureCount, k = classes.Count;
var truthWide = new List<int>[5];
var predictedWide = new List<int>[5];
var truthNarrow = new List<int>[5];
var predictedNarrow = new List<int>[5];
Parallel.For(0, 5, f =>
{
    var x = new List<float>();
    var y = new List<int>();
    for (int i = 0; i < wide.Count; i++)
    {
        if (folds[wide.FileIndex[i]] == f) continue;
        x.AddRange(wide.Features.AsSpan(i * d, d).ToArray());
        y.Add(classes.IndexOf(set.Files[wide.FileIndex[i]].Label));
    }

    var options = new SoftmaxTrainerOptions { L2 = 1e-3, HiddenUnits = 32 };
    var model = SoftmaxTrainer.Train(x.ToArray(), y.ToArray(), set.Classes, settings, options, new TrainingMetadata { Seed = seed });
    var trees = new LightGbmTreesTrainer { Iterations = 300, Weight = 0.5, Seed = seed };
    model = model.WithTrees(trees.Train(x.ToArray(), y.ToArray(), d, k), trees.Weight, model.Training);
    var p = new float[k];
    (truthWide[f], predictedWide[f], truthNarrow[f], predictedNarrow[f]) = ([], [], [], []);
    for (int i = 0; i < wide.Count; i++)
    {
        if (folds[wide.FileIndex[i]] != f || wide.CopyRate[i] != 0) continue;
        truthWide[f].Add(classes.IndexOf(set.Files[wide.FileIndex[i]].Label));
        predictedWide[f].Add(model.Predict(wide.Features.AsSpan(i * d, d), p));
    }

    for (int i = 0; i < narrowTable.Count; i++)
    {
        var file = narrow.Files[narrowTable.FileIndex[i]];
        if (sourceFold[file.Source] != f) continue;
        truthNarrow[f].Add(classes.IndexOf(file.Label));
        predictedNarrow[f].Add(model.Predict(narrowTable.Features.AsSpan(i * d, d), p));
    }
});

foreach (var (name, truth, predicted) in new[] { ("full band", truthWide, predictedWide), ("8 kHz", truthNarrow, predictedNarrow) })
{
    var m = ClassificationMetrics.Compute(set.Classes, truth.SelectMany(t => t).ToArray(), predicted.SelectMany(t => t).ToArray());
    string perClass = string.Join(", ", Enumerable.Range(0, k).Select(c => string.Create(CultureInfo.InvariantCulture, $"{classes[c]} {m.F1[c]:F2}")));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"seed {seed}, {(rates.Length > 0 ? "with" : "without")} copies, {name}: windows {m.Total}, macro-F1 {m.MacroF1:F4}, accuracy {m.Accuracy:F4}; {perClass}"));
}
