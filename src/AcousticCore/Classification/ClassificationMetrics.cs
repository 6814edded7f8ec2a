namespace AcousticCore.Classification;

/// <summary>
/// Confusion matrix and the scores derived from it. Precision_c = TP/(TP+FP), recall_c = TP/(TP+FN),
/// F1_c = 2PR/(P+R) (0 when undefined); macro-F1 is the mean F1 over classes that occur in the truth.
/// </summary>
public sealed class ClassificationMetrics
{
    private readonly long[] _confusion;

    private ClassificationMetrics(IReadOnlyList<string> classes, long[] confusion)
    {
        Classes = classes;
        _confusion = confusion;
        int k = classes.Count;
        var precision = new double[k];
        var recall = new double[k];
        var f1 = new double[k];
        var support = new long[k];
        long correct = 0, total = 0, presentClasses = 0;
        double f1Sum = 0;
        for (int c = 0; c < k; c++)
        {
            long tp = confusion[c * k + c], row = 0, col = 0;
            for (int j = 0; j < k; j++)
            {
                row += confusion[c * k + j];
                col += confusion[j * k + c];
            }

            support[c] = row;
            precision[c] = col > 0 ? (double)tp / col : 0;
            recall[c] = row > 0 ? (double)tp / row : 0;
            f1[c] = precision[c] + recall[c] > 0 ? 2 * precision[c] * recall[c] / (precision[c] + recall[c]) : 0;
            correct += tp;
            total += row;
            if (row > 0)
            {
                presentClasses++;
                f1Sum += f1[c];
            }
        }

        Precision = precision;
        Recall = recall;
        F1 = f1;
        Support = support;
        Total = total;
        Accuracy = total > 0 ? (double)correct / total : double.NaN;
        MacroF1 = presentClasses > 0 ? f1Sum / presentClasses : double.NaN;
    }

    /// <summary>Counts truth/prediction pairs (indices into <paramref name="classes"/>).</summary>
    /// <exception cref="ArgumentException">Lengths differ or an index is out of range.</exception>
    public static ClassificationMetrics Compute(IReadOnlyList<string> classes, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (truth.Length != predicted.Length) throw new ArgumentException("Truth and prediction lengths differ.", nameof(predicted));
        int k = classes.Count;
        var confusion = new long[k * k];
        for (int i = 0; i < truth.Length; i++)
        {
            if ((uint)truth[i] >= (uint)k || (uint)predicted[i] >= (uint)k)
            {
                throw new ArgumentException($"Class index out of range at example {i}.", nameof(truth));
            }

            confusion[truth[i] * k + predicted[i]]++;
        }

        return new ClassificationMetrics(classes, confusion);
    }

    /// <summary>Class names (row and column order of the confusion matrix).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Count of examples of true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long Confusion(int truth, int predicted) => _confusion[truth * Classes.Count + predicted];

    /// <summary>Fraction of examples predicted correctly.</summary>
    public double Accuracy { get; }

    /// <summary>Mean F1 over classes present in the truth.</summary>
    public double MacroF1 { get; }

    /// <summary>Examples counted.</summary>
    public long Total { get; }

    /// <summary>Precision per class.</summary>
    public IReadOnlyList<double> Precision { get; }

    /// <summary>Recall per class.</summary>
    public IReadOnlyList<double> Recall { get; }

    /// <summary>F1 per class.</summary>
    public IReadOnlyList<double> F1 { get; }

    /// <summary>True examples per class.</summary>
    public IReadOnlyList<long> Support { get; }
}
