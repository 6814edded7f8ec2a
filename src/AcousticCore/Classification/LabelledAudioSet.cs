using System.Globalization;
using System.Text;
using AcousticCore.Audio;

namespace AcousticCore.Classification;

/// <summary>Bad training or evaluation data (empty folder, missing file, unknown label …): names what and where.</summary>
public sealed class ClassificationDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClassificationDataException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        Source = source;
        Problem = problem;
    }

    /// <summary>The folder, manifest (with row) or file at fault.</summary>
    public new string Source { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}

/// <summary>One labelled recording.</summary>
/// <param name="Path">Full path of the audio file.</param>
/// <param name="Label">Class name.</param>
/// <param name="Fold">Fold from the manifest, or null.</param>
/// <param name="Source">Group key: clips with the same source never go to different cross-validation folds.</param>
public sealed record LabelledFile(string Path, string Label, int? Fold, string Source);

/// <summary>
/// A labelled set of recordings, from a folder per class (<c>DIR/CLASS/*.wav</c>, recursively) or a CSV
/// manifest (<c>file,label[,fold]</c>, or a header naming <c>file|filename|slice_file_name</c>,
/// <c>label|category|class</c>, optional <c>fold</c> and <c>source|src_file|fsid</c>: the ESC-50 and UrbanSound8K
/// metadata files work as they are). Paths are relative to the manifest's folder.
/// </summary>
public sealed class LabelledAudioSet
{
    /// <summary>The default taxonomy, in model order.</summary>
    public static IReadOnlyList<string> DefaultTaxonomy { get; } =
        ["quiet", "speech", "music", "alarm", "impulsive", "engine", "machinery", "broadband"];

    private const int MaxRows = 1_000_000;

    private LabelledAudioSet(string origin, List<LabelledFile> files)
    {
        Origin = origin;
        Files = files;
        var labels = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var f in files) labels.Add(f.Label);
        bool allDefault = true;
        foreach (string l in labels) allDefault &= DefaultTaxonomy.Contains(l);
        Classes = allDefault && labels.Count == DefaultTaxonomy.Count ? DefaultTaxonomy : labels.ToArray();
    }

    /// <summary>The folder or manifest the set came from.</summary>
    public string Origin { get; }

    /// <summary>The recordings.</summary>
    public IReadOnlyList<LabelledFile> Files { get; }

    /// <summary>Distinct labels: the default taxonomy order when the labels are exactly it, else sorted.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>True when every file has a manifest fold.</summary>
    public bool HasFolds => Files.Count > 0 && Files.All(f => f.Fold.HasValue);

    /// <summary>
    /// Sources whose clips the manifest's fold column puts in more than one fold (ordinal order): cross-validation over
    /// those folds has clips of one recording on both sides of a split. Empty without a fold column.
    /// </summary>
    public IReadOnlyList<string> SourcesInSeveralFolds() => !HasFolds ? [] :
        Files.GroupBy(f => f.Source, StringComparer.Ordinal)
            .Where(g => g.Select(f => f.Fold).Distinct().Skip(1).Any())
            .Select(g => g.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Loads a folder per class or a CSV manifest.</summary>
    /// <exception cref="ClassificationDataException">Empty folder, a class folder without audio, a bad manifest row, a missing file.</exception>
    /// <exception cref="FileNotFoundException">Nothing at <paramref name="path"/>.</exception>
    public static LabelledAudioSet Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) return FromFolders(path);
        if (File.Exists(path)) return FromManifest(path);
        throw new FileNotFoundException($"No such data folder or manifest: {path}", path);
    }

    private static LabelledAudioSet FromFolders(string root)
    {
        var files = new List<LabelledFile>();
        var classDirs = Directory.GetDirectories(root);
        Array.Sort(classDirs, StringComparer.Ordinal);
        if (classDirs.Length == 0)
        {
            throw new ClassificationDataException(root, "no class folders (expected DIR/CLASS/*.wav)");
        }

        foreach (string dir in classDirs)
        {
            string label = System.IO.Path.GetFileName(dir);
            if (label == ClassifierModel.UnknownLabel) throw new ClassificationDataException(dir, ReservedLabelMessage);
            var wavs = WavFileSearch.Under(dir);
            if (wavs.Count == 0) throw new ClassificationDataException(dir, $"class '{label}' has no .wav files");
            foreach (string f in wavs) files.Add(new LabelledFile(System.IO.Path.GetFullPath(f), label, null, SourceFromName(f)));
        }

        return new LabelledAudioSet(root, files);
    }

    /// <summary>Files named <c>SOURCE__rest.wav</c> share the group SOURCE; any other file is its own group.</summary>
    private static string SourceFromName(string file)
    {
        string name = System.IO.Path.GetFileNameWithoutExtension(file);
        int sep = name.IndexOf("__", StringComparison.Ordinal);
        return sep > 0 ? name[..sep] : System.IO.Path.GetFullPath(file);
    }

    private static LabelledAudioSet FromManifest(string manifest)
    {
        string baseDir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(manifest)) ?? ".";
        var lines = new List<string>();
        using (var reader = new StreamReader(manifest, Encoding.UTF8))
        {
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                if (lines.Count >= MaxRows) throw new ClassificationDataException(manifest, $"more than {MaxRows} rows");
                lines.Add(line);
            }
        }

        int fileCol = 0, labelCol = 1, foldCol = 2, sourceCol = -1, first = 0;
        if (lines.Count > 0)
        {
            var header = SplitCsv(lines[0]).Select(h => h.Trim().ToLowerInvariant()).ToList();
            int f = header.FindIndex(h => h is "file" or "filename" or "slice_file_name" or "path");
            if (f >= 0)
            {
                fileCol = f;
                labelCol = header.FindIndex(h => h is "label" or "category" or "class");
                if (labelCol < 0) throw new ClassificationDataException($"{manifest}:1", "header has no label/category/class column");
                foldCol = header.IndexOf("fold");
                sourceCol = header.FindIndex(h => h is "source" or "src_file" or "fsid");
                first = 1;
            }
        }

        var files = new List<LabelledFile>();
        for (int i = first; i < lines.Count; i++)
        {
            string where = string.Create(CultureInfo.InvariantCulture, $"{manifest}:{i + 1}");
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var cells = SplitCsv(lines[i]);
            if (cells.Count <= Math.Max(fileCol, labelCol))
            {
                throw new ClassificationDataException(where, "expected at least file,label");
            }

            string rel = cells[fileCol].Trim(), label = cells[labelCol].Trim();
            if (rel.Length == 0) throw new ClassificationDataException(where, "empty file name");
            if (label.Length == 0) throw new ClassificationDataException(where, "empty label");
            if (label == ClassifierModel.UnknownLabel) throw new ClassificationDataException(where, ReservedLabelMessage);
            int? fold = null;
            if (foldCol >= 0 && foldCol < cells.Count && cells[foldCol].Trim().Length > 0)
            {
                if (!int.TryParse(cells[foldCol].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int fv) || fv < 0 || fv > 1000)
                {
                    throw new ClassificationDataException(where, $"fold '{cells[foldCol]}' is not an integer 0–1000");
                }

                fold = fv;
            }

            string full = Resolve(baseDir, rel, fold);
            if (!File.Exists(full)) throw new ClassificationDataException(where, $"file '{rel}' does not exist (looked for {full})");
            string source = sourceCol >= 0 && sourceCol < cells.Count && cells[sourceCol].Trim().Length > 0
                ? cells[sourceCol].Trim()
                : SourceFromName(full);
            files.Add(new LabelledFile(full, label, fold, source));
        }

        if (files.Count == 0) throw new ClassificationDataException(manifest, "the manifest lists no files");
        return new LabelledAudioSet(manifest, files);
    }

    private const string ReservedLabelMessage = $"the label '{ClassifierModel.UnknownLabel}' is reserved for windows below the confidence threshold; rename the class";

    /// <summary>
    /// Relative to the manifest; ESC-50/UrbanSound8K keep clips under audio/ or audio/foldN/ next to the manifest, or
    /// (ESC-50's meta/esc50.csv, UrbanSound8K's metadata/UrbanSound8K.csv) under ../audio/ or ../audio/foldN/.
    /// </summary>
    private static string Resolve(string baseDir, string rel, int? fold)
    {
        string direct = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDir, rel));
        if (File.Exists(direct)) return direct;
        string audio = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDir, "audio", rel));
        if (File.Exists(audio)) return audio;
        string sibling = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDir, "..", "audio", rel));
        if (File.Exists(sibling)) return sibling;
        if (fold is int f)
        {
            string foldDir = "fold" + f.ToString(CultureInfo.InvariantCulture);
            string us8k = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDir, "audio", foldDir, rel));
            if (File.Exists(us8k)) return us8k;
            string us8kMeta = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDir, "..", "audio", foldDir, rel));   // metadata/UrbanSound8K.csv
            if (File.Exists(us8kMeta)) return us8kMeta;
        }

        return direct;
    }

    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
