using System.Globalization;
using System.Text.Json;

namespace AcousticCore.Classification;

/// <summary>A model file that cannot be used: names the file, the field and the problem.</summary>
public sealed class ModelFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelFileException(string file, string field, string problem, Exception? inner = null)
        : base($"model file '{file}': {(field.Length > 0 ? field + ": " : "")}{problem}", inner)
    {
        File = file;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file (or resource) name.</summary>
    public string File { get; }

    /// <summary>The JSON field at fault, or empty.</summary>
    public string Field { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}

/// <summary>
/// Reads and writes the versioned JSON model file (format <c>acousticcore-classifier</c>, version 1, or 2 with boosted trees; fields in
/// docs/classification.md). Loading validates everything and refuses anything else, including files over 8 MiB.
/// </summary>
public static class ClassifierModelFile
{
    /// <summary>Value of the <c>format</c> field.</summary>
    public const string FormatName = "acousticcore-classifier";

    /// <summary>Smallest feature SD a model file may hold (training floors SDs at 1e-6).</summary>
    public const float MinStandardDeviation = 1e-12f;

    /// <summary>Value of the <c>format_version</c> field of a model without boosted trees (this code reads and writes it).</summary>
    public const int FormatVersion = 1;

    /// <summary>Value of the <c>format_version</c> field of a model with a <c>boosted_trees</c> section (this code reads and
    /// writes it; builds that only know version 1 refuse it instead of ignoring the trees).</summary>
    public const int FormatVersionWithTrees = 2;

    /// <summary>Largest model file accepted, bytes.</summary>
    public const long MaxFileBytes = 8L * 1024 * 1024;

    private const string DefaultResource = "AcousticCore.Classification.DefaultModel.json";

    /// <summary>Loads and validates a model file.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="ModelFileException">The file is too large, not JSON, or any field is missing or invalid.</exception>
    public static ClassifierModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"No such model file: {path}", path);
        if (info.Length > MaxFileBytes)
        {
            throw new ModelFileException(path, "", $"{info.Length} bytes exceeds the {MaxFileBytes}-byte limit for model files");
        }

        using var stream = info.OpenRead();
        return Read(stream, path);
    }

    /// <summary>The default model embedded in the library (classes quiet, speech, music, alarm, impulsive, engine, machinery, broadband).</summary>
    public static ClassifierModel LoadDefault()
    {
        using Stream stream = typeof(ClassifierModelFile).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new ModelFileException(DefaultResource, "", "the embedded default model is missing from the assembly");
        return Read(stream, "(embedded default model)");
    }

    /// <summary>Reads and validates a model from a stream (at most <see cref="MaxFileBytes"/> bytes are read).</summary>
    /// <param name="stream">The JSON.</param>
    /// <param name="name">File name used in error messages.</param>
    public static ClassifierModel Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                throw new ModelFileException(name, "", $"exceeds the {MaxFileBytes}-byte limit for model files");
            }

            buffer.Write(chunk, 0, read);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            // System.Text.Json appends its own zero-based "LineNumber: … | BytePositionInLine: …"; the one-based position is ours.
            string reason = e.Message;
            int at = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (at > 0) reason = reason[..at].TrimEnd();
            throw new ModelFileException(name, "", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {reason}", e);
        }

        using (doc)
        {
            return Parse(doc.RootElement, name);
        }
    }

    private static ClassifierModel Parse(JsonElement root, string name)
    {
        var r = new Reader(name);
        if (root.ValueKind != JsonValueKind.Object) throw new ModelFileException(name, "", "the top level must be a JSON object");
        string format = r.String(root, "format");
        if (format != FormatName) throw new ModelFileException(name, "format", $"'{format}' is not '{FormatName}'");
        int version = r.Int(root, "format_version");
        if (version != FormatVersion && version != FormatVersionWithTrees)
        {
            throw new ModelFileException(name, "format_version",
                $"version {version} is not supported (this build reads versions {FormatVersion} and {FormatVersionWithTrees})");
        }

        JsonElement fx = r.Object(root, "feature_extractor");
        int featureVersion = r.Int(fx, "version", "feature_extractor.version");
        if (featureVersion != WindowFeatureExtractor.FeatureVersion)
        {
            throw new ModelFileException(name, "feature_extractor.version",
                $"features of version {featureVersion} cannot be computed by this build (it computes version {WindowFeatureExtractor.FeatureVersion}); retrain the model");
        }

        if (fx.TryGetProperty("window", out JsonElement window) && !(window.ValueKind == JsonValueKind.String && window.GetString() == "hann"))
        {
            throw new ModelFileException(name, "feature_extractor.window", $"{window.GetRawText()} is not the window this build's features use (\"hann\"); retrain the model");
        }

        r.Expect(fx, "frame_hop_s", WindowFeatureExtractor.FrameHopSeconds);
        r.Expect(fx, "min_frame_s", WindowFeatureExtractor.MinFrameSeconds);
        r.Expect(fx, "analysis_bandwidth_hz", WindowFeatureExtractor.AnalysisBandwidthHz);
        WindowFeatureSettings settings;
        try
        {
            settings = new WindowFeatureSettings { WindowSeconds = r.Double(fx, "window_s", "feature_extractor.window_s"), HopSeconds = r.Double(fx, "hop_s", "feature_extractor.hop_s") };
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException(name, "feature_extractor.window_s/hop_s", e.Message, e);
        }

        string[] featureNames = r.Strings(root, "feature_names");
        var expected = WindowFeatureExtractor.FeatureNames;
        if (featureNames.Length != expected.Count)
        {
            throw new ModelFileException(name, "feature_names", $"{featureNames.Length} features, but the extractor computes {expected.Count}");
        }

        for (int i = 0; i < featureNames.Length; i++)
        {
            if (featureNames[i] != expected[i])
            {
                throw new ModelFileException(name, $"feature_names[{i}]", $"'{featureNames[i]}' does not match the extractor's '{expected[i]}'");
            }
        }

        string[] classes = r.Strings(root, "classes");
        if (classes.Length < 2 || classes.Length > 1000) throw new ModelFileException(name, "classes", $"needs 2–1000 classes, has {classes.Length}");
        var unique = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(classes[i]) || classes[i] == ClassifierModel.UnknownLabel || !unique.Add(classes[i]))
            {
                throw new ModelFileException(name, $"classes[{i}]", $"'{classes[i]}' is empty, repeated or reserved");
            }
        }

        double threshold = r.Double(root, "confidence_threshold");
        if (!(threshold >= 0 && threshold <= 1)) throw new ModelFileException(name, "confidence_threshold", $"{threshold} is outside 0–1");

        int d = expected.Count, k = classes.Length;
        JsonElement norm = r.Object(root, "normalisation");
        float[] means = r.Floats(norm, "mean", d, "normalisation.mean");
        float[] sds = r.Floats(norm, "sd", d, "normalisation.sd");
        for (int j = 0; j < d; j++)
        {
            // Training floors an SD at 1e-6; anything near float's smallest values would overflow 1/SD.
            if (!(sds[j] >= MinStandardDeviation)) throw new ModelFileException(name, $"normalisation.sd[{j}]", $"{sds[j]} is not ≥ {MinStandardDeviation}");
        }

        int hidden = 0;
        float[] hiddenWeights = [], hiddenBias = [];
        if (root.TryGetProperty("hidden_layer", out JsonElement hl) && hl.ValueKind != JsonValueKind.Null)
        {
            if (hl.ValueKind != JsonValueKind.Object) throw new ModelFileException(name, "hidden_layer", "must be an object");
            string activation = r.String(hl, "activation", "hidden_layer.activation");
            if (activation != "tanh") throw new ModelFileException(name, "hidden_layer.activation", $"'{activation}' is not 'tanh'");
            JsonElement hb = r.Get(hl, "bias", "hidden_layer.bias");
            hidden = hb.ValueKind == JsonValueKind.Array ? hb.GetArrayLength() : 0;
            if (hidden < 1 || hidden > ClassifierModel.MaxHiddenUnits)
            {
                throw new ModelFileException(name, "hidden_layer.bias", $"needs 1–{ClassifierModel.MaxHiddenUnits} values");
            }

            hiddenBias = r.Floats(hl, "bias", hidden, "hidden_layer.bias");
            JsonElement hw = r.Get(hl, "weights", "hidden_layer.weights");
            if (hw.ValueKind != JsonValueKind.Array || hw.GetArrayLength() != hidden)
            {
                throw new ModelFileException(name, "hidden_layer.weights", $"needs {hidden} rows");
            }

            hiddenWeights = new float[hidden * d];
            int hr = 0;
            foreach (JsonElement hiddenRow in hw.EnumerateArray())
            {
                r.FloatsInto(hiddenRow, $"hidden_layer.weights[{hr}]", hiddenWeights.AsSpan(hr * d, d));
                hr++;
            }
        }

        int inputs = hidden > 0 ? hidden : d;
        JsonElement weightRows = r.Array(root, "weights");
        if (weightRows.GetArrayLength() != k)
        {
            throw new ModelFileException(name, "weights", $"{weightRows.GetArrayLength()} rows, but there are {k} classes");
        }

        var weights = new float[k * inputs];
        int row = 0;
        foreach (JsonElement w in weightRows.EnumerateArray())
        {
            r.FloatsInto(w, $"weights[{row}]", weights.AsSpan(row * inputs, inputs));
            row++;
        }

        float[] bias = r.Floats(root, "bias", k, "bias");
        TrainingMetadata training = new();
        if (root.TryGetProperty("training", out JsonElement t) && t.ValueKind == JsonValueKind.Object)
        {
            training = new TrainingMetadata
            {
                Date = Reader.OptionalString(t, "date"),
                Corpus = Reader.OptionalString(t, "corpus"),
                Files = (int)Reader.OptionalDouble(t, "files", 0),
                Windows = (int)Reader.OptionalDouble(t, "windows", 0),
                L2 = Reader.OptionalDouble(t, "l2", 0),
                Iterations = (int)Reader.OptionalDouble(t, "iterations", 0),
                Seed = (int)Reader.OptionalDouble(t, "seed", 0),
                CvFolds = (int)Reader.OptionalDouble(t, "cv_folds", 0),
                CvAccuracy = Reader.OptionalDouble(t, "cv_accuracy", double.NaN),
                CvMacroF1 = Reader.OptionalDouble(t, "cv_macro_f1", double.NaN),
                Trees = Reader.OptionalString(t, "trees"),
                Augmentation = Reader.OptionalString(t, "augmentation"),
            };
        }

        BoostedTrees? trees = null;
        double treesWeight = 0;
        bool hasTrees = root.TryGetProperty("boosted_trees", out JsonElement bt) && bt.ValueKind != JsonValueKind.Null;
        if (hasTrees != (version == FormatVersionWithTrees))
        {
            throw new ModelFileException(name, "boosted_trees",
                hasTrees ? $"present, but only format version {FormatVersionWithTrees} files have it" : $"missing (format version {FormatVersionWithTrees} needs it)");
        }

        if (hasTrees) (trees, treesWeight) = ParseTrees(r, bt, name, k, d);
        return new ClassifierModel(classes, settings, means, sds, hiddenWeights, hiddenBias, weights, bias, threshold, training, trees, treesWeight);
    }

    private static (BoostedTrees Trees, double Weight) ParseTrees(Reader r, JsonElement bt, string name, int k, int d)
    {
        if (bt.ValueKind != JsonValueKind.Object) throw new ModelFileException(name, "boosted_trees", "must be an object");
        double weight = r.Double(bt, "weight", "boosted_trees.weight");
        if (!(weight >= 0 && weight <= 1)) throw new ModelFileException(name, "boosted_trees.weight", $"{weight} is outside 0–1");
        float[] treeBias = r.Floats(bt, "bias", k, "boosted_trees.bias");
        JsonElement list = r.Get(bt, "trees", "boosted_trees.trees");
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() < 1 || list.GetArrayLength() > BoostedTrees.MaxTrees)
        {
            throw new ModelFileException(name, "boosted_trees.trees", $"must be an array of 1–{BoostedTrees.MaxTrees} trees");
        }

        var trees = new List<DecisionTree>(list.GetArrayLength());
        foreach (JsonElement e in list.EnumerateArray())
        {
            string path = string.Create(CultureInfo.InvariantCulture, $"boosted_trees.trees[{trees.Count}]");
            if (e.ValueKind != JsonValueKind.Object) throw new ModelFileException(name, path, "must be an object");
            JsonElement leafArray = r.Get(e, "leaf_value", path + ".leaf_value");
            int leaves = leafArray.ValueKind == JsonValueKind.Array ? leafArray.GetArrayLength() : 0;
            if (leaves < 1 || leaves > BoostedTrees.MaxLeavesPerTree)
            {
                throw new ModelFileException(name, path + ".leaf_value", $"needs 1–{BoostedTrees.MaxLeavesPerTree} values");
            }

            var tree = new DecisionTree(
                r.Int(e, "class", path + ".class"),
                r.Ints(e, "split_feature", leaves - 1, path + ".split_feature"),
                r.Floats(e, "threshold", leaves - 1, path + ".threshold"),
                r.Ints(e, "left", leaves - 1, path + ".left"),
                r.Ints(e, "right", leaves - 1, path + ".right"),
                r.Floats(e, "leaf_value", leaves, path + ".leaf_value"));
            string? problem = BoostedTrees.Problem(tree, k, d);
            if (problem is not null) throw new ModelFileException(name, path, problem);
            trees.Add(tree);
        }

        return (new BoostedTrees(k, d, trees, treeBias), weight);
    }

    /// <summary>Writes <paramref name="model"/> as a model file (format version 1, or 2 when it has boosted trees).</summary>
    public static void Save(ClassifierModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.Create(path);
        Write(model, stream);
    }

    /// <summary>Writes <paramref name="model"/> as JSON to <paramref name="stream"/>; floats are written in shortest round-trip form so a reload is bit-identical.</summary>
    public static void Write(ClassifierModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", FormatName);
        w.WriteNumber("format_version", model.Trees is null ? FormatVersion : FormatVersionWithTrees);
        w.WriteStartObject("feature_extractor");
        w.WriteNumber("version", WindowFeatureExtractor.FeatureVersion);
        w.WriteNumber("window_s", model.Settings.WindowSeconds);
        w.WriteNumber("hop_s", model.Settings.HopSeconds);
        w.WriteNumber("frame_hop_s", WindowFeatureExtractor.FrameHopSeconds);
        w.WriteNumber("min_frame_s", WindowFeatureExtractor.MinFrameSeconds);
        w.WriteNumber("analysis_bandwidth_hz", WindowFeatureExtractor.AnalysisBandwidthHz);
        w.WriteString("window", "hann");
        w.WriteString("mfcc", "HTK mel, 26 unit-peak filters 0-8000 Hz, c0..c12, orthonormal DCT-II, lifter 22, deltas theta=2");
        w.WriteString("bands", "IEC 61260-1 base-10 third octaves 50-6300 Hz from FFT power");
        w.WriteEndObject();
        w.WriteStartArray("feature_names");
        foreach (string f in ClassifierModel.FeatureNames) w.WriteStringValue(f);
        w.WriteEndArray();
        w.WriteStartArray("classes");
        foreach (string c in model.Classes) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteNumber("confidence_threshold", model.ConfidenceThreshold);
        w.WriteStartObject("normalisation");
        WriteFloats(w, "mean", model.Means);
        WriteFloats(w, "sd", model.StandardDeviations);
        w.WriteEndObject();
        int d = ClassifierModel.FeatureNames.Count, hidden = model.HiddenUnits;
        if (hidden > 0)
        {
            w.WriteStartObject("hidden_layer");
            w.WriteString("activation", "tanh");
            w.WriteStartArray("weights");
            for (int u = 0; u < hidden; u++) WriteFloats(w, null, model.HiddenWeights.Slice(u * d, d));
            w.WriteEndArray();
            WriteFloats(w, "bias", model.HiddenBias);
            w.WriteEndObject();
        }

        int inputs = hidden > 0 ? hidden : d;
        w.WriteStartArray("weights");
        for (int c = 0; c < model.ClassCount; c++) WriteFloats(w, null, model.Weights.Slice(c * inputs, inputs));
        w.WriteEndArray();
        WriteFloats(w, "bias", model.Bias);
        if (model.Trees is BoostedTrees trees) WriteTrees(w, trees, model.TreesWeight);
        TrainingMetadata t = model.Training;
        w.WriteStartObject("training");
        w.WriteString("date", t.Date);
        w.WriteString("corpus", t.Corpus);
        w.WriteNumber("files", t.Files);
        w.WriteNumber("windows", t.Windows);
        w.WriteNumber("l2", t.L2);
        w.WriteNumber("iterations", t.Iterations);
        w.WriteNumber("seed", t.Seed);
        w.WriteNumber("cv_folds", t.CvFolds);
        if (double.IsFinite(t.CvAccuracy)) w.WriteNumber("cv_accuracy", Math.Round(t.CvAccuracy, 4));
        else w.WriteNull("cv_accuracy");
        if (double.IsFinite(t.CvMacroF1)) w.WriteNumber("cv_macro_f1", Math.Round(t.CvMacroF1, 4));
        else w.WriteNull("cv_macro_f1");
        if (t.Trees.Length > 0) w.WriteString("trees", t.Trees);
        if (t.Augmentation.Length > 0) w.WriteString("augmentation", t.Augmentation);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The trees are written one compact JSON object per line: indented, they would triple the file.</summary>
    private static void WriteTrees(Utf8JsonWriter w, BoostedTrees trees, double weight)
    {
        w.WriteStartObject("boosted_trees");
        w.WriteString("kind", "one-vs-rest gradient-boosted regression trees on the raw features; x[split_feature] <= threshold goes left; child < 0 is leaf ~child");
        w.WriteNumber("weight", weight);
        WriteFloats(w, "bias", trees.Bias);
        w.WriteStartArray("trees");
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        for (int i = 0; i < trees.TreeCount; i++)
        {
            DecisionTree tree = trees.GetTree(i);
            buffer.ResetWrittenCount();
            using (var compact = new Utf8JsonWriter(buffer))
            {
                compact.WriteStartObject();
                compact.WriteNumber("class", tree.Class);
                WriteInts(compact, "split_feature", tree.SplitFeature);
                WriteFloats(compact, "threshold", tree.Threshold);
                WriteInts(compact, "left", tree.Left);
                WriteInts(compact, "right", tree.Right);
                WriteFloats(compact, "leaf_value", tree.LeafValues);
                compact.WriteEndObject();
            }

            w.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteInts(Utf8JsonWriter w, string name, ReadOnlySpan<int> values)
    {
        w.WriteStartArray(name);
        foreach (int v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void WriteFloats(Utf8JsonWriter w, string? name, ReadOnlySpan<float> values)
    {
        if (name is null) w.WriteStartArray();
        else w.WriteStartArray(name);
        foreach (float v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    /// <summary>Typed field access that names the file and field on every failure.</summary>
    private sealed class Reader(string name)
    {
        public JsonElement Get(JsonElement obj, string field, string? path = null)
        {
            if (!obj.TryGetProperty(field, out JsonElement e)) throw new ModelFileException(name, path ?? field, "missing");
            return e;
        }

        public string String(JsonElement obj, string field, string? path = null)
        {
            JsonElement e = Get(obj, field, path);
            return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new ModelFileException(name, path ?? field, "must be a string");
        }

        public double Double(JsonElement obj, string field, string? path = null)
        {
            JsonElement e = Get(obj, field, path);
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double v) || !double.IsFinite(v))
            {
                throw new ModelFileException(name, path ?? field, "must be a finite number");
            }

            return v;
        }

        public int Int(JsonElement obj, string field, string? path = null)
        {
            JsonElement e = Get(obj, field, path);
            return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) ? v : throw new ModelFileException(name, path ?? field, "must be an integer");
        }

        public void Expect(JsonElement obj, string field, double expected)
        {
            double v = Double(obj, field, "feature_extractor." + field);
            if (Math.Abs(v - expected) > 1e-9 * Math.Max(1, Math.Abs(expected)))
            {
                throw new ModelFileException(name, "feature_extractor." + field,
                    string.Create(CultureInfo.InvariantCulture, $"{v} differs from this build's {expected}; retrain the model"));
            }
        }

        public JsonElement Object(JsonElement obj, string field)
        {
            JsonElement e = Get(obj, field);
            return e.ValueKind == JsonValueKind.Object ? e : throw new ModelFileException(name, field, "must be an object");
        }

        public JsonElement Array(JsonElement obj, string field)
        {
            JsonElement e = Get(obj, field);
            return e.ValueKind == JsonValueKind.Array ? e : throw new ModelFileException(name, field, "must be an array");
        }

        public string[] Strings(JsonElement obj, string field)
        {
            JsonElement a = Array(obj, field);
            var result = new string[a.GetArrayLength()];
            int i = 0;
            foreach (JsonElement e in a.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.String) throw new ModelFileException(name, $"{field}[{i}]", "must be a string");
                result[i++] = e.GetString()!;
            }

            return result;
        }

        public float[] Floats(JsonElement obj, string field, int count, string path)
        {
            JsonElement a = Get(obj, field, path);
            var result = new float[count];
            FloatsInto(a, path, result);
            return result;
        }

        public int[] Ints(JsonElement obj, string field, int count, string path)
        {
            JsonElement a = Get(obj, field, path);
            if (a.ValueKind != JsonValueKind.Array) throw new ModelFileException(name, path, "must be an array");
            if (a.GetArrayLength() != count) throw new ModelFileException(name, path, $"has {a.GetArrayLength()} values, expected {count}");
            var result = new int[count];
            int i = 0;
            foreach (JsonElement e in a.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v)) throw new ModelFileException(name, $"{path}[{i}]", "must be an integer");
                result[i++] = v;
            }

            return result;
        }

        public void FloatsInto(JsonElement a, string path, Span<float> destination)
        {
            if (a.ValueKind != JsonValueKind.Array) throw new ModelFileException(name, path, "must be an array");
            if (a.GetArrayLength() != destination.Length)
            {
                throw new ModelFileException(name, path, $"has {a.GetArrayLength()} values, expected {destination.Length}");
            }

            int i = 0;
            foreach (JsonElement e in a.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetSingle(out float v) || !float.IsFinite(v))
                {
                    throw new ModelFileException(name, $"{path}[{i}]", "must be a finite number");
                }

                destination[i++] = v;
            }
        }

        public static string OptionalString(JsonElement obj, string field) =>
            obj.TryGetProperty(field, out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "";

        public static double OptionalDouble(JsonElement obj, string field, double fallback) =>
            obj.TryGetProperty(field, out JsonElement e) && e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double v) ? v : fallback;
    }
}
