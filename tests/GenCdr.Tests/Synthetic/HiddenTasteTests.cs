using GenCdr.Data;
using GenCdr.Data.Synthetic;

namespace GenCdr.Tests.Synthetic;

/// <summary>The hidden taste of the designed data (<see cref="SyntheticDatasetConfig.HiddenTasteWeight"/>): written in no
/// text, carried across domains by transfer users only.</summary>
public class HiddenTasteTests
{
    static readonly SyntheticDatasetConfig Designed = new()
    {
        Users = 2000, ItemsPerDomain = 400, OverlapFraction = 1, LocalTasteFraction = 0.5, HiddenTasteWeight = 2,
    };

    [Fact]
    public void The_hidden_taste_changes_the_purchases_but_no_item_text()
    {
        var plain = SyntheticDatasetGenerator.Generate(Designed with { HiddenTasteWeight = 0 });
        var hidden = SyntheticDatasetGenerator.Generate(Designed);
        for (int d = 0; d < 2; d++)
        {
            Assert.Equal(plain.Domains[d].Items.Select(i => (i.Id, i.Text.Title, i.Text.Description)),
                hidden.Domains[d].Items.Select(i => (i.Id, i.Text.Title, i.Text.Description)));
            var before = plain.Domains[d].Interactions.Select(x => (x.User, x.Item)).ToHashSet();
            int same = hidden.Domains[d].Interactions.Count(x => before.Contains((x.User, x.Item)));
            Assert.True(same < hidden.Domains[d].Interactions.Count / 2, $"{same} of {hidden.Domains[d].Interactions.Count} purchases unchanged");
        }
        Assert.Equal(plain.UserGroups, hidden.UserGroups);
    }

    /// <summary>Per user, the mean hidden attribute vector of what it bought in each domain: the two point the same way for
    /// transfer users (one taste for both domains) and not for local users (a taste per domain).</summary>
    [Fact]
    public void Transfer_users_show_one_hidden_taste_in_both_domains_and_local_users_do_not()
    {
        var raw = SyntheticDatasetGenerator.Generate(Designed);
        var attributes = SyntheticDatasetGenerator.HiddenAttributes(Designed);
        Assert.All(attributes, domain => Assert.All(domain.Values, a => Assert.Equal(Designed.HiddenTasteDimensions, a.Length)));
        var mean = raw.Domains.Select((domain, d) => domain.Interactions.GroupBy(x => x.User).ToDictionary(g => g.Key,
            g => Enumerable.Range(0, Designed.HiddenTasteDimensions).Select(k => g.Average(x => attributes[d][x.Item][k])).ToArray())).ToArray();
        double MeanCosine(string kind)
        {
            var users = raw.UserGroups!.Where(kv => kv.Value == kind).Select(kv => kv.Key).ToArray();
            Assert.True(users.Length > 500, $"{users.Length} {kind} users");
            return users.Average(u => Cosine(mean[0][u], mean[1][u]));
        }
        double transfer = MeanCosine(SyntheticDatasetGenerator.TransferUsers), local = MeanCosine(SyntheticDatasetGenerator.LocalUsers);
        Assert.True(transfer > 0.3, $"transfer users' hidden taste across domains: mean cosine {transfer:F3}");
        Assert.True(Math.Abs(local) < 0.05, $"local users' mean cosine {local:F3}");
    }

    [Fact]
    public void A_negative_hidden_taste_weight_is_refused()
    {
        var error = Assert.Throws<GenCdrException>(() => SyntheticDatasetGenerator.Generate(Designed with { HiddenTasteWeight = -1 }));
        Assert.Contains("HiddenTasteWeight", error.Message);
    }

    static double Cosine(double[] a, double[] b) =>
        a.Zip(b, (x, y) => x * y).Sum() / Math.Sqrt(a.Sum(x => x * x) * b.Sum(y => y * y));
}
