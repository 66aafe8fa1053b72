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

    /// <summary>Users 0–599 are "transfer@d0" (a group for domain d0 only), 600–999 "local": the full model hits every
    /// transfer user the other misses and ties on the local ones, so the gain shows in the transfer rows only, and the
    /// domain-d1 rows have no transfer users at all.</summary>
    [Fact]
    public void Per_group_rows_separate_the_users_the_difference_comes_from()
    {
        var groups = Enumerable.Range(0, 1000).Select(u => u < 600 ? "transfer@d0" : "local").ToArray();
        TargetRanks TwoDomains(Func<int, int> rankOf) =>
            new(Enumerable.Range(0, 1000).SelectMany(u => new[] { ((u, 0), rankOf(u)), ((u, 1), rankOf(u)) }).ToDictionary(x => x.Item1, x => x.Item2));
        var full = TwoDomains(u => u % 2 == 0 ? 0 : -1);
        var other = TwoDomains(u => u < 600 ? -1 : u % 2 == 0 ? 0 : -1);
        var text = DifferenceTable.RenderByGroup("GenCDR", new Dictionary<string, TargetRanks> { ["GenCDR"] = full, ["Other"] = other }, ["d0", "d1"], groups);

        var rows = text.Split('\n').Where(l => l.StartsWith("| Other")).ToArray();
        var transfer = rows.Single(l => l.Contains("| d0 | transfer"));
        Assert.Contains("+0.5000", transfer);
        Assert.DoesNotContain("within noise", transfer);
        Assert.Contains("600", transfer);
        Assert.Contains("within noise", rows.Single(l => l.Contains("| d0 | local")));
        Assert.DoesNotContain(rows, l => l.Contains("| d1 | transfer"));
        Assert.Contains("400", rows.Single(l => l.Contains("| d1 | local")));
    }
}
