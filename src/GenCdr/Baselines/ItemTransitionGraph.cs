using GenCdr.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// C2DSR's item graph (Cao et al., "Contrastive Cross-Domain Sequential Recommendation", CIKM 2022, §4.1): items are
/// nodes, and two items are linked when one directly follows the other in a user's training history. Built from the
/// <b>training events only</b> (<see cref="TrainingTransitions"/>), so no validation or test transition leaks
/// into the item representations. Two views: the cross-domain graph links consecutive items of the merged history, the
/// single-domain graph consecutive items of each domain's own sub-sequence. Each is the symmetric normalised adjacency
/// with self-loops, Â = D^−½ (A + I) D^−½, kept as an edge list (source, target, weight) over the network's item tokens
/// (1 + offset(domain) + item; row 0 is padding and has no edge); <see cref="Adjacency"/> makes it a sparse matrix, with
/// which Â·X is one sparse-dense product (differentiable in X). Gathering and scattering the edge rows instead
/// materialises an [edges, H] tensor per layer: on Amazon Sports + Clothing (≈ 10⁶ edges) 4× slower per product.
/// </summary>
public sealed class ItemTransitionGraph
{
    public long[] Sources { get; }
    public long[] Targets { get; }
    public float[] Weights { get; }
    public int Nodes { get; }

    ItemTransitionGraph(long[] sources, long[] targets, float[] weights, int nodes) =>
        (Sources, Targets, Weights, Nodes) = (sources, targets, weights, nodes);

    /// <summary>The graph of <paramref name="data"/>'s training histories over tokens 1 + offset(domain) + item.</summary>
    /// <param name="crossDomain">link consecutive items of the merged history (true) or of each domain's sub-sequence (false)</param>
    public static ItemTransitionGraph FromTraining(PreparedDataset data, bool crossDomain)
    {
        var offsets = new int[data.DomainCount];
        for (int d = 1; d < data.DomainCount; d++) offsets[d] = offsets[d - 1] + data.Items[d - 1].Count;
        int nodes = 1 + data.Items.Sum(i => i.Count);
        long Token(Event e) => 1L + offsets[e.Domain] + e.Item;
        var edges = new HashSet<(long, long)>();
        foreach (var (from, to) in TrainingTransitions.Of(data, crossDomain))
        {
            long a = Token(from), b = Token(to);
            if (a == b) continue;
            edges.Add((a, b));
            edges.Add((b, a));
        }
        for (long node = 1; node < nodes; node++) edges.Add((node, node));            // A + I (padding row 0 stays isolated)
        var degree = new int[nodes];
        foreach (var (a, _) in edges) degree[a]++;
        var ordered = edges.OrderBy(e => e.Item1).ThenBy(e => e.Item2).ToArray();   // a fixed order: sums are reproducible
        return new ItemTransitionGraph(ordered.Select(e => e.Item1).ToArray(), ordered.Select(e => e.Item2).ToArray(),
            ordered.Select(e => (float)(1 / Math.Sqrt((double)degree[e.Item1] * degree[e.Item2]))).ToArray(), nodes);
    }

    /// <summary>Â as a sparse [nodes, nodes] matrix from the edge list (int64 sources and targets, float weights, on one
    /// device): entry (j, i) = Â_ji for the edge i → j, so that Â·X turns row j into Σ_i Â_ji X_i.</summary>
    public static Tensor Adjacency(Tensor sources, Tensor targets, Tensor weights, long nodes) =>
        sparse_coo_tensor(stack([targets, sources]), weights, [nodes, nodes], device: weights.device);

    /// <summary>Â·X for node features X [nodes, H] and Â from <see cref="Adjacency"/>.</summary>
    public static Tensor Propagate(Tensor adjacency, Tensor x) => adjacency.matmul(x);
}
