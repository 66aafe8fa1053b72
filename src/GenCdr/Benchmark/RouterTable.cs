using System.Globalization;
using GenCdr.Decoding;
using GenCdr.Tokenization;

namespace GenCdr.Benchmark;

/// <summary>What one model's routers do: the item router's g per domain (from its tokenization report), the user
/// router's w per domain and the MoE gate per layer (<see cref="RouterDiagnostics"/>).</summary>
public sealed record ModelRouting(IReadOnlyList<DomainTokenizationReport> Items, IReadOnlyList<DomainUserRouting> Users,
    IReadOnlyList<LayerExpertGate> ExpertGates);

/// <summary>
/// The report's "Routers" section (issue #12): per model and domain, the distribution of the item router's g and of the
/// user router's w, what each tracks (g's spread before stage 2 and the adapter's latent shift; the correlation of w with
/// the in-domain share of the history and the divergence of the two passes it mixes), and an "inert" flag for a spread
/// below 0.01 (for g also a flag when its spread is no wider than before stage 2).
/// </summary>
public static class RouterTable
{
    /// <summary>The item router's flag: inert below <see cref="DomainUserRouting.InertStd"/>; otherwise whether its spread
    /// is wider than the router's before stage 2.</summary>
    static string ItemFlag(DomainTokenizationReport d) =>
        d.Gate!.Std < DomainUserRouting.InertStd ? "**inert**"
        : d.InitialGate is { } initial && d.Gate.Std <= initial.Std ? "no wider than before stage 2"
        : "no";

    public static string Render(IReadOnlyDictionary<string, ModelRouting> routing)
    {
        if (routing.Count == 0) return "No model of this run has routers to measure.\n\n";
        var c = CultureInfo.InvariantCulture;
        var table = new MarkdownTable("model", "domain", "router", "mean", "std", "p5", "p50", "p95", "what it tracks", "inert");
        foreach (var (model, r) in routing.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var d in r.Items.Where(d => d.Gate is not null))
                table.AddRow([model, d.Domain, "item g", .. Cells(d.Gate!),
                    string.Join("; ", new[]
                    {
                        d.InitialGate is { } initial ? string.Format(c, "std before stage 2 {0:F3}", initial.Std) : null,
                        d.AdapterShift is { } shift ? string.Format(c, "adapter shift {0:F1} % of the latent energy", 100 * shift) : null,
                        d.GateVersusAdapterAdvantage is { } advantage ? "r(g, the adapter's reconstruction advantage) " + SignedNumber.Format(advantage, 2) : null,
                        d.GateVersusTransitions is { } transitions ? "r(g, log(1 + the item's training transitions)) " + SignedNumber.Format(transitions, 2) : null,
                    }.OfType<string>()),
                    ItemFlag(d)]);
            foreach (var u in r.Users)
                table.AddRow([model, u.Domain, "user w", .. Cells(u.Weight),
                    string.Format(c, "r(w, in-domain share) {0}; KL(P_dom ‖ P_univ) {1:F3} nats; {2:N0} users{3}",
                        double.IsNaN(u.ShareCorrelation) ? "n/a (constant)" : SignedNumber.Format(u.ShareCorrelation, 2), u.MeanDivergence, u.Users,
                        u.Groups is { } g ? string.Format(c, "; AUC of w, {0} vs {1} users: {2:F2}", g.Positive, g.Negative, g.Auc) : ""),
                    u.Inert ? "**inert**" : "no"]);
        }
        var text = "g weighs the universal latent E(x) against the domain latent E_d(x) of each item (paper §1c); w weighs the " +
               "universal pass P_univ against the domain pass P_dom for each user (§2c), measured on a fixed sample of test users. " +
               $"A router whose std is below {DomainUserRouting.InertStd.ToString(c)} is flagged inert: it routes every input alike; " +
               "an item router whose spread is no wider than before stage 2 (the router as initialised) is flagged as such: its spread is its " +
               "initialisation's, not learnt.\n\n" + table + "\n";
        var gates = new MarkdownTable("model", "layer", "mean weight of each universal expert", "mean entropy / ln K");
        foreach (var (model, r) in routing.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            foreach (var g in r.ExpertGates)
                gates.AddRow(model, g.Layer.ToString(c), string.Join(" · ", g.MeanWeights.Select(w => w.ToString("F3", c))),
                    (g.MaxEntropy > 0 ? g.MeanEntropy / g.MaxEntropy : 0).ToString("F3", c));
        if (gates.Rows.Count > 0)
            text += "The MoE gate of the universal experts (paper §2a) over the same users' positions in the universal pass: a mean " +
                    "entropy of 1 × ln K weighs every expert alike at every position (an untrained or averaging gate).\n\n" + gates + "\n";
        return text;
    }

    static IEnumerable<string> Cells(GateStatistics g) =>
        new[] { g.Mean, g.Std, g.P5, g.P50, g.P95 }.Select(v => v.ToString("F3", CultureInfo.InvariantCulture));
}
