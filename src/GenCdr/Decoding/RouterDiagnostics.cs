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
public sealed record DomainUserRouting(string Domain, int Users, GateStatistics Weight, double ShareCorrelation, double MeanDivergence)
{
    /// <summary>A router whose output spread is below this is flagged as inert (issue #12).</summary>
    public const double InertStd = 0.01;
    public bool Inert => Weight.Std < InertStd;
}

/// <summary>
/// Measures the user router of a trained GenCDR on a fixed sample of a split's users per domain: the distribution of
/// w, its correlation with the user's in-domain history share, and the divergence between the two passes it mixes.
/// Written to routing.json in a run folder (the bench report's "Routers" section reads it).
/// </summary>
public static class RouterDiagnostics
{
    public const string FileName = "routing.json";

    /// <summary>Null when the model has no mixture to measure (token layout, or an ablation without both passes).</summary>
    public static IReadOnlyList<DomainUserRouting>? Measure(GenCdrRecommender model, PreparedDataset data, Split split, int maxUsers, int seed)
    {
        var result = new List<DomainUserRouting>();
        for (int d = 0; d < data.DomainCount; d++)
        {
            var targets = Evaluator.Sample(data.HeldOutOf(split).Where(h => h.Domain == d).ToArray(), maxUsers, seed + d);
            var queries = targets.Select(t => new RecommendationQuery(t.User, data.HistoryBefore(t), d)).ToList();
            if (queries.Count == 0) continue;
            if (model.Routing(queries, d) is not { } routing) return null;
            var share = queries.Select(q => q.History.Count == 0 ? 0.0 : q.History.Count(e => e.Domain == d) / (double)q.History.Count).ToArray();
            result.Add(new DomainUserRouting(data.DomainNames[d], queries.Count, GateStatistics.Of(routing.Weight),
                Pearson(routing.Weight.Select(w => (double)w).ToArray(), share), routing.Divergence.Average(v => (double)v)));
        }
        return result;
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

    public static void Save(IReadOnlyList<DomainUserRouting> routing, string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(routing, Json));

    /// <summary>The diagnostics at <paramref name="path"/>, or null if there are none.</summary>
    public static IReadOnlyList<DomainUserRouting>? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<List<DomainUserRouting>>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw GenCdrException.AtLine(path, (e.LineNumber ?? 0) + 1, $"unreadable router diagnostics ({e.Message.Split('.')[0]}); delete it to measure again"); }
    }
}
