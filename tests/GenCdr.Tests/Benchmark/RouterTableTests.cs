using GenCdr.Benchmark;
using GenCdr.Decoding;
using GenCdr.Tokenization;

namespace GenCdr.Tests.Benchmark;

public class RouterTableTests
{
    static GateStatistics Spread(double std) => new(0.5, std, 0.5 - 2 * std, 0.5 - std, 0.5, 0.5 + std, 0.5 + 2 * std);

    [Fact]
    public void A_router_with_a_spread_below_one_hundredth_is_flagged_inert_and_one_above_is_not()
    {
        var routing = new Dictionary<string, ModelRouting>
        {
            ["GenCDR"] = new([], [new DomainUserRouting("sports", 100, Spread(0.004), 0.3, 0.01), new DomainUserRouting("clothing", 100, Spread(0.08), double.NaN, 0.2)],
                [new LayerExpertGate(0, [0.25, 0.25, 0.25, 0.25], Math.Log(4), Math.Log(4))]),
        };
        var lines = RouterTable.Render(routing).Split('\n');
        Assert.EndsWith("| **inert** |", lines.Single(l => l.Contains("| sports |")));
        var clothing = lines.Single(l => l.Contains("| clothing |"));
        Assert.EndsWith("| no |", clothing);
        Assert.Contains("n/a (constant)", clothing);
        Assert.Contains(lines, l => l == "| GenCDR | 0 | 0.250 · 0.250 · 0.250 · 0.250 | 1.000 |");
    }

    [Fact]
    public void An_item_router_no_wider_than_before_stage_2_is_flagged_so_and_its_initial_spread_is_shown()
    {
        static DomainTokenizationReport Items(string domain, double std, double? initialStd) => new(domain, 10, 0.2, 0.19, 1, [], [], 0, 0, 1,
            Spread(std), AdapterShift: 0.02, InitialGate: initialStd is double s ? Spread(s) : null);
        var routing = new Dictionary<string, ModelRouting>
        {
            ["GenCDR"] = new([Items("sports", 0.025, 0.036) with { GateVersusAdapterAdvantage = -0.001 }, Items("clothing", 0.09, 0.036), Items("beauty", 0.005, 0.036), Items("books", 0.03, null)], [], []),
        };
        var lines = RouterTable.Render(routing).Split('\n');
        var sports = lines.Single(l => l.Contains("| sports |"));
        Assert.EndsWith("| no wider than before stage 2 |", sports);
        Assert.Contains("std before stage 2 0.036", sports);
        Assert.Contains("reconstruction advantage) 0.00 |", sports);   // a correlation that rounds to 0 has no sign
        Assert.EndsWith("| no |", lines.Single(l => l.Contains("| clothing |")));
        Assert.EndsWith("| **inert** |", lines.Single(l => l.Contains("| beauty |")));
        var books = lines.Single(l => l.Contains("| books |"));       // a report from before the field existed
        Assert.EndsWith("| no |", books);
        Assert.DoesNotContain("before stage 2", books);
    }

    [Fact]
    public void The_group_auc_matches_the_closed_form_and_orders_the_groups_by_name()
    {
        // pairs (0.9, 0.1) (0.9, 0.8) (0.8, 0.1) win, (0.8, 0.8) ties: (3 + ½) / 4
        Assert.Equal(0.875, RouterDiagnostics.Auc([0.9, 0.8], [0.1, 0.8]), 12);
        Assert.Equal(0.5, RouterDiagnostics.Auc([0.3, 0.3], [0.3]), 12);
        Assert.Equal(0.0, RouterDiagnostics.Auc([0.1], [0.2, 0.3]), 12);
        var split = RouterDiagnostics.Separation([0.9, 0.1, 0.8, 0.5, 0.8], ["transfer", "local", "transfer", "", "local"])!;
        Assert.Equal(("transfer", 2, "local", 2), (split.Positive, split.PositiveUsers, split.Negative, split.NegativeUsers));
        Assert.Equal(0.875, split.Auc, 12);
        Assert.Equal(0.85 - 0.45, split.MeanWeightGap, 12);
        Assert.Null(RouterDiagnostics.Separation([0.1, 0.2], ["a", "a"]));
    }

    [Fact]
    public void Pearson_matches_the_closed_form_and_is_undefined_for_a_constant_series()
    {
        Assert.Equal(1.0, RouterDiagnostics.Pearson([1, 2, 3], [2, 4, 6]), 12);
        Assert.Equal(-1.0, RouterDiagnostics.Pearson([1, 2, 3], [3, 2, 1]), 12);
        // x = (0, 1, 2, 3), y = (0, 1, 0, 1): Σ(x − x̄)(y − ȳ) = 1, Σ(x − x̄)² = 5, Σ(y − ȳ)² = 1, so r = 1 / √5
        Assert.Equal(1 / Math.Sqrt(5), RouterDiagnostics.Pearson([0, 1, 2, 3], [0, 1, 0, 1]), 12);
        Assert.True(double.IsNaN(RouterDiagnostics.Pearson([1, 1, 1], [1, 2, 3])));
    }
}
