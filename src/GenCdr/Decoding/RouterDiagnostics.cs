using System.Text.Json;
using GenCdr.Data;
using GenCdr.Evaluation;
using GenCdr.Tokenization;

namespace GenCdr.Decoding;

/// <summary>What the user router does on one domain's users (issue #12's diagnostics).</summary>
/// <param name="Weight">distribution of w = σ(G(h_u)) over the users (the universal pass's share of P)</param>
/// <param name="ShareCorrelation">Pearson correlation of w with the share of the user's history in the target domain
/// (NaN when either is constant)</param>
/// <param name="MeanDivergence">mean over the users of KL(P_dom ‖ P_univ) over the domain's items, in nats: how far the
/// domain adapter moves the next-item distribution</param>
/// <param name="Groups">when the data set records two user groups for this domain (the built-in data set's "local" and
/// "transfer" users; a group written NAME@DOMAIN counts in that domain only), how well w separates them</param>
public sealed record DomainUserRouting(string Domain, int Users, GateStatistics Weight, double ShareCorrelation, double MeanDivergence,
    GroupSeparation? Groups = null)
{
    /// <summary>A router whose output spread is below this is flagged as inert (issue #12).</summary>
    public const double InertStd = 0.01;
    public bool Inert => Weight.Std < InertStd;
}

/// <summary>How well w separates two recorded user groups: the AUC of w for <paramref name="Positive"/> against
/// <paramref name="Negative"/> (the groups in ordinal order of their names, so the direction is fixed before measuring),
/// P(w of a random positive user > w of a random negative one), ties counting ½: 0.5 is no separation.</summary>
public sealed record GroupSeparation(string Positive, int PositiveUsers, string Negative, int NegativeUsers, double Auc, double MeanWeightGap);

/// <summary>The MoE gate of one layer's universal experts (paper §2a) over the measured positions.</summary>
/// <param name="MeanWeights">the mean softmax weight of each expert (1/K each for an untrained or averaging gate)</param>
/// <param name="MeanEntropy">mean entropy of the weights per position, nats; <paramref name="MaxEntropy"/> = ln K is a gate
/// that weighs every expert alike</param>
public sealed record LayerExpertGate(int Layer, double[] MeanWeights, double MeanEntropy, double MaxEntropy);

/// <summary>What a trained GenCDR's routers do (routing.json): the user router per domain, the MoE gate per layer.</summary>
public sealed record RoutingDiagnostics(IReadOnlyList<DomainUserRouting> Users, IReadOnlyList<LayerExpertGate> ExpertGates);

/// <summary>
/// Measures the user router of a trained GenCDR on a fixed sample of a split's users per domain: the distribution of
/// w, its correlation with the user's in-domain history share, and the divergence between the two passes it mixes.
/// Written to routing.json in a run folder (the bench report's "Routers" section reads it).
/// </summary>
public static class RouterDiagnostics
{
    public const string FileName = "routing.json";

    /// <summary>The user router on at most <paramref name="maxUsers"/> users per domain of <paramref name="split"/> (the
    /// evaluator's sample for that seed) and the MoE gate over the same users' positions; each part is empty when the
    /// model does not have it (the token layout, or an ablation without the mixture or the experts).</summary>
    public static RoutingDiagnostics Measure(GenCdrRecommender model, PreparedDataset data, Split split, int maxUsers, int seed)
    {
        var users = new List<DomainUserRouting>();
        var all = new List<RecommendationQuery>();
        for (int d = 0; d < data.DomainCount; d++)
        {
            var targets = Evaluator.Sample(data.HeldOutOf(split).Where(h => h.Domain == d).ToArray(), maxUsers, seed + d);
            var queries = targets.Select(t => new RecommendationQuery(t.User, data.HistoryBefore(t), d)).ToList();
            all.AddRange(queries);
            if (queries.Count == 0 || model.Routing(queries, d) is not { } routing) continue;
            var share = queries.Select(q => q.History.Count == 0 ? 0.0 : q.History.Count(e => e.Domain == d) / (double)q.History.Count).ToArray();
            var weights = routing.Weight.Select(w => (double)w).ToArray();
            users.Add(new DomainUserRouting(data.DomainNames[d], queries.Count, GateStatistics.Of(routing.Weight),
                Pearson(weights, share), routing.Divergence.Average(v => (double)v),
                data.UserGroups is { } groups ? Separation(weights, queries.Select(q => PreparedDataset.GroupInDomain(groups[q.User], data.DomainNames[d])).ToArray()) : null));
        }
        var layers = new List<LayerExpertGate>();
        if (all.Count > 0 && model.ExpertGates(all) is { } gates)
            for (int l = 0; l < gates.MeanEntropy.Length; l++)
                layers.Add(new LayerExpertGate(l, gates.MeanWeights[l], gates.MeanEntropy[l], Math.Log(gates.MeanWeights[l].Length)));
        return new RoutingDiagnostics(users, layers);
    }

    /// <summary>The separation of the two groups among <paramref name="groups"/> ("" is none) by <paramref name="weights"/>,
    /// or null unless exactly two groups occur.</summary>
    public static GroupSeparation? Separation(IReadOnlyList<double> weights, IReadOnlyList<string> groups)
    {
        var names = groups.Where(g => g.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (names.Length != 2) return null;
        var negative = weights.Where((_, i) => groups[i] == names[0]).ToArray();
        var positive = weights.Where((_, i) => groups[i] == names[1]).ToArray();
        return new GroupSeparation(names[1], positive.Length, names[0], negative.Length, Auc(positive, negative),
            positive.Average() - negative.Average());
    }

    /// <summary>The Mann–Whitney AUC: P(p > n) + ½ P(p = n) over all pairs (O(N log N) by sorting).</summary>
    public static double Auc(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        var sorted = negatives.Order().ToArray();
        double wins = 0;
        foreach (double p in positives)
        {
            int below = LowerBound(sorted, p), notAbove = UpperBound(sorted, p);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double)positives.Count * negatives.Count);
    }

    static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] < value) lo = mid + 1; else hi = mid; }
        return lo;
    }

    static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] <= value) lo = mid + 1; else hi = mid; }
        return lo;
    }

    /// <summary>Pearson's r of two equally long series; NaN when either has no variance.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx <= 0 || syy <= 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Save(RoutingDiagnostics routing, string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(routing, Json));

    /// <summary>The diagnostics at <paramref name="path"/>, or null if there are none.</summary>
    public static RoutingDiagnostics? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<RoutingDiagnostics>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw GenCdrException.AtLine(path, (e.LineNumber ?? 0) + 1, $"unreadable router diagnostics ({e.Message.Split('.')[0]}); delete it to measure again"); }
    }
}
