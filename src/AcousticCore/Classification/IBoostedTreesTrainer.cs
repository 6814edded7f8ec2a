namespace AcousticCore.Classification;

/// <summary>
/// Trains the <see cref="BoostedTrees"/> a <see cref="ClassifierModel"/> can combine with its perceptron. The core
/// defines only this contract; the implementation on a gradient-boosting library lives in AcousticCore.Training,
/// so a host that only classifies carries no training library.
/// </summary>
public interface IBoostedTreesTrainer
{
    /// <summary>Weight w of the trees' log-probabilities in the combined model, 0–1.</summary>
    double Weight { get; }

    /// <summary>Library and settings, for <see cref="TrainingMetadata.Trees"/>.</summary>
    string Description { get; }

    /// <summary>Trains one ensemble on raw feature vectors; the same data and settings give the same trees.</summary>
    /// <param name="features">Row-major examples × <paramref name="featureCount"/> raw (unstandardised) features.</param>
    /// <param name="labels">Class index of each example, 0 … <paramref name="classCount"/> − 1.</param>
    /// <param name="featureCount">Features per example.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <exception cref="ArgumentException">Shapes disagree, a label is out of range, or a class has no example.</exception>
    BoostedTrees Train(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int featureCount, int classCount);
}
