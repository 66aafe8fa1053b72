using GenCdr.Benchmark;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Benchmark;

public class DifferenceTableTests
{
    static TargetRanks Ranks(int users, Func<int, int> rankOf) =>
        new(Enumerable.Range(0, users).ToDictionary(u => (u, 0), rankOf));

    [Fact]
    public void A_clear_gain_is_a_claim_and_a_tie_is_within_noise()
    {
        var full = Ranks(1000, u => u % 2 == 0 ? 0 : -1);          // hits half of the users at rank 0
        var weak = Ranks(1000, u => u % 10 == 0 ? 0 : -1);         // a tenth
        var twin = Ranks(1000, u => u % 2 == 1 ? 0 : -1);          // as often as the full model, other users
        var text = DifferenceTable.Render("GenCDR", new Dictionary<string, TargetRanks> { ["GenCDR"] = full, ["Weak"] = weak, ["Twin"] = twin }, ["d0"]);

        var weakRow = text.Split('\n').Single(l => l.StartsWith("| Weak"));
        Assert.Contains("+0.4000", weakRow);
        Assert.DoesNotContain("within noise", weakRow);
        var twinRow = text.Split('\n').Single(l => l.StartsWith("| Twin"));
        Assert.Contains("within noise", twinRow);
        Assert.Contains("1,000", twinRow);
    }

    [Fact]
    public void Without_a_second_model_with_ranks_no_interval_is_claimed()
    {
        var text = DifferenceTable.Render("GenCDR", new Dictionary<string, TargetRanks> { ["GenCDR"] = Ranks(10, _ => 0) }, ["d0"]);
        Assert.StartsWith("No two models", text);
    }
}
