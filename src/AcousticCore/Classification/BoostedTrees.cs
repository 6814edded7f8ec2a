namespace AcousticCore.Classification;

/// <summary>
/// One regression tree of a <see cref="BoostedTrees"/> ensemble. Internal node i sends a feature vector x to
/// <see cref="Left"/>[i] when x[<see cref="SplitFeature"/>[i]] ≤ <see cref="Threshold"/>[i], else to
/// <see cref="Right"/>[i]; a child ≥ 0 is another internal node, a child &lt; 0 is leaf ~child. A tree of L leaves
/// has L − 1 internal nodes, the root is node 0; a tree of one leaf has no internal node.
/// </summary>
/// <param name="Class">Class whose margin the tree adds to.</param>
/// <param name="SplitFeature">Feature index tested at each internal node.</param>
/// <param name="Threshold">Threshold at each internal node (≤ goes left).</param>
/// <param name="Left">Left child of each internal node.</param>
/// <param name="Right">Right child of each internal node.</param>
/// <param name="LeafValues">Value of each leaf.</param>
public sealed record DecisionTree(int Class, int[] SplitFeature, float[] Threshold, int[] Left, int[] Right, float[] LeafValues);

/// <summary>
/// Gradient-boosted regression trees, one additive ensemble per class (one-vs-rest): the margin of class c is
/// bias[c] + Σ of the leaf values its trees reach. Trees test the raw (unstandardised) features, so a model
/// file's thresholds are the training library's own. <see cref="Margins"/> allocates nothing.
/// </summary>
public sealed class BoostedTrees
{
    /// <summary>Most leaves accepted in one tree.</summary>
    public const int MaxLeavesPerTree = 1024;

    /// <summary>Most trees accepted in one ensemble.</summary>
    public const int MaxTrees = 100_000;

    private readonly int[] _treeClass;
    private readonly int[] _nodeStart;
    private readonly int[] _leafStart;
    private readonly int[] _root;
    private readonly Node[] _nodes;
    private readonly float[] _leaves;
    private readonly float[] _bias;

    /// <summary>Builds and checks an ensemble.</summary>
    /// <param name="classCount">Number of classes (margins).</param>
    /// <param name="featureCount">Length of the feature vectors the trees test.</param>
    /// <param name="trees">The trees, in any order.</param>
    /// <param name="bias">Initial margin of each class.</param>
    /// <exception cref="ArgumentException">A tree is malformed (see <see cref="DecisionTree"/>), refers to a class or
    /// feature out of range, or a value is not finite.</exception>
    public BoostedTrees(int classCount, int featureCount, IReadOnlyList<DecisionTree> trees, ReadOnlySpan<float> bias)
    {
        ArgumentNullException.ThrowIfNull(trees);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (trees.Count < 1 || trees.Count > MaxTrees) throw new ArgumentException($"Needs 1–{MaxTrees} trees, got {trees.Count}.", nameof(trees));
        if (bias.Length != classCount) throw new ArgumentException($"bias needs {classCount} values, got {bias.Length}.", nameof(bias));
        foreach (float b in bias)
        {
            if (!float.IsFinite(b)) throw new ArgumentException("bias contains a non-finite value.", nameof(bias));
        }

        // Copy first, then check the copies: the caller's arrays cannot change between the check and the use.
        var copies = new DecisionTree[trees.Count];
        int nodes = 0, leaves = 0;
        for (int t = 0; t < copies.Length; t++)
        {
            DecisionTree? given = trees[t];
            DecisionTree? copy = given is null ? null : new DecisionTree(given.Class, given.SplitFeature?.ToArray()!, given.Threshold?.ToArray()!,
                given.Left?.ToArray()!, given.Right?.ToArray()!, given.LeafValues?.ToArray()!);
            string? problem = Problem(copy!, classCount, featureCount);
            if (problem is not null) throw new ArgumentException($"Tree {t}: {problem}.", nameof(trees));
            copies[t] = copy!;
            nodes += copy!.SplitFeature.Length;
            leaves += copy.LeafValues.Length;
        }

        ClassCount = classCount;
        FeatureCount = featureCount;
        _treeClass = new int[trees.Count];
        _nodeStart = new int[trees.Count];
        _leafStart = new int[trees.Count];
        _root = new int[trees.Count];
        _nodes = new Node[nodes];
        _leaves = new float[leaves];
        _bias = bias.ToArray();
        int n = 0, l = 0;
        for (int t = 0; t < copies.Length; t++)
        {
            DecisionTree tree = copies[t];
            _treeClass[t] = tree.Class;
            _nodeStart[t] = n;
            _leafStart[t] = l;
            _root[t] = tree.SplitFeature.Length > 0 ? 0 : ~0;
            for (int i = 0; i < tree.SplitFeature.Length; i++)
            {
                _nodes[n + i] = new Node(tree.SplitFeature[i], tree.Threshold[i], tree.Left[i], tree.Right[i]);
            }

            tree.LeafValues.CopyTo(_leaves, l);
            n += tree.SplitFeature.Length;
            l += tree.LeafValues.Length;
        }
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Length of the feature vectors the trees test.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of trees.</summary>
    public int TreeCount => _treeClass.Length;

    /// <summary>A copy of tree <paramref name="index"/> (the ensemble itself cannot be changed).</summary>
    public DecisionTree GetTree(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)TreeCount, nameof(index));
        int n0 = _nodeStart[index], n1 = index + 1 < TreeCount ? _nodeStart[index + 1] : _nodes.Length;
        int l0 = _leafStart[index], l1 = index + 1 < TreeCount ? _leafStart[index + 1] : _leaves.Length;
        Node[] nodes = _nodes[n0..n1];
        return new DecisionTree(_treeClass[index], nodes.Select(x => x.Feature).ToArray(), nodes.Select(x => x.Threshold).ToArray(),
            nodes.Select(x => x.Left).ToArray(), nodes.Select(x => x.Right).ToArray(), _leaves[l0..l1]);
    }

    /// <summary>Initial margin of each class.</summary>
    public ReadOnlySpan<float> Bias => _bias;

    /// <summary>Writes the margin of every class for one raw feature vector.</summary>
    /// <param name="features">A vector of <see cref="FeatureCount"/> values.</param>
    /// <param name="margins">Receives <see cref="ClassCount"/> values.</param>
    public void Margins(ReadOnlySpan<float> features, Span<double> margins)
    {
        if (features.Length != FeatureCount) throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        if (margins.Length < ClassCount) throw new ArgumentException($"Margins need {ClassCount} values.", nameof(margins));
        for (int c = 0; c < ClassCount; c++) margins[c] = _bias[c];
        for (int t = 0; t < _treeClass.Length; t++)
        {
            int start = _nodeStart[t];
            int node = _root[t];
            while (node >= 0)
            {
                ref readonly Node x = ref _nodes[start + node];
                node = features[x.Feature] <= x.Threshold ? x.Left : x.Right;
            }

            margins[_treeClass[t]] += _leaves[_leafStart[t] + ~node];
        }
    }

    /// <summary>Why a tree is malformed, or null when it is sound.</summary>
    internal static string? Problem(DecisionTree tree, int classCount, int featureCount)
    {
        if (tree is null) return "missing";
        if (tree.SplitFeature is null || tree.Threshold is null || tree.Left is null || tree.Right is null || tree.LeafValues is null)
        {
            return "an array is missing";
        }

        if ((uint)tree.Class >= (uint)classCount) return $"class {tree.Class} is not 0–{classCount - 1}";
        int leaves = tree.LeafValues.Length, internalNodes = leaves - 1;
        if (leaves < 1 || leaves > MaxLeavesPerTree) return $"needs 1–{MaxLeavesPerTree} leaves, has {leaves}";
        if (tree.SplitFeature.Length != internalNodes || tree.Threshold.Length != internalNodes || tree.Left.Length != internalNodes
            || tree.Right.Length != internalNodes)
        {
            return $"{leaves} leaves need {internalNodes} internal nodes in every node array";
        }

        foreach (float v in tree.LeafValues)
        {
            if (!float.IsFinite(v)) return "a leaf value is not finite";
        }

        // Every non-root internal node and every leaf may be reached at most once, and an internal child must
        // come after its parent: no cycle is possible, and (by counting, below) nothing is left unreachable.
        var nodeSeen = new bool[internalNodes];
        var leafSeen = new bool[leaves];
        for (int i = 0; i < internalNodes; i++)
        {
            if ((uint)tree.SplitFeature[i] >= (uint)featureCount) return $"node {i} tests feature {tree.SplitFeature[i]}, not 0–{featureCount - 1}";
            if (!float.IsFinite(tree.Threshold[i])) return $"node {i} has a non-finite threshold";
            foreach (int child in (ReadOnlySpan<int>)[tree.Left[i], tree.Right[i]])
            {
                if (child >= 0)
                {
                    if (child <= i || child >= internalNodes) return $"node {i} has child node {child}: children must follow their parent and exist";
                    if (nodeSeen[child]) return $"node {child} has two parents";
                    nodeSeen[child] = true;
                }
                else
                {
                    int leaf = ~child;
                    if (leaf >= leaves) return $"node {i} refers to leaf {leaf} of {leaves}";
                    if (leafSeen[leaf]) return $"leaf {leaf} has two parents";
                    leafSeen[leaf] = true;
                }
            }
        }

        // No "unreachable" check is needed: the 2(L − 1) child slots were filled by distinct nodes 1 … L − 2 and
        // distinct leaves 0 … L − 1, which are 2L − 2 items, so every one of them was reached.
        return null;
    }

    /// <summary>One internal node, its four fields side by side so a test touches one cache line.</summary>
    private readonly record struct Node(int Feature, float Threshold, int Left, int Right);
}
