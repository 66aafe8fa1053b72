using GenCdr.Data;
using GenCdr.Data.Synthetic;

namespace GenCdr.Tests.Synthetic;

/// <summary>The generated data must carry the signals a recommender is meant to exploit: order, text
/// attributes, and taste shared across domains. Each is compared with a chance level.</summary>
public class SyntheticSignalTests
{
    static readonly PreparedDataset Data = SyntheticPreparation.DefaultPrepared;
    static readonly DomainVocabulary[] Vocabularies = [BuiltInVocabularies.Outdoor, BuiltInVocabularies.Apparel];

    static ProductType TypeOf(int domain, int item) =>
        Vocabularies[domain].Types.First(t => t.Name == Data.Items[domain][item].Text.Categories[2]);

    static string ColourOf(int domain, int item) =>
        BuiltInVocabularies.Colours.First(c => Data.Items[domain][item].Text.Title.Contains(" " + c + " "));

    /// <summary>Consecutive same-domain pairs (previous, next) of every user, and the same number of
    /// chance pairs: the previous item of one user with the next item of another.</summary>
    static (List<(int D, int Prev, int Next)> Real, List<(int D, int Prev, int Next)> Chance) Pairs()
    {
        var real = new List<(int, int, int)>();
        foreach (var h in Data.Histories)
            for (int d = 0; d < Data.DomainCount; d++)
            {
                var items = h.Where(e => e.Domain == d).Select(e => e.Item).ToArray();
                for (int i = 1; i < items.Length; i++) real.Add((d, items[i - 1], items[i]));
            }
        var rng = new Random(7);
        var chance = real.Select(p =>
        {
            (int D, int Prev, int Next) other;
            do other = real[rng.Next(real.Count)]; while (other.D != p.Item1);
            return (p.Item1, p.Item2, other.Next);
        }).ToList();
        return (real, chance);
    }

    [Fact]
    public void NextProductTypeFollowsThePreviousFarMoreOftenThanChance()
    {
        var (real, chance) = Pairs();
        double Rate(List<(int D, int Prev, int Next)> pairs) => pairs.Average(p =>
            TypeOf(p.D, p.Prev).Successors.Contains(TypeOf(p.D, p.Next).Name) ? 1.0 : 0.0);
        double r = Rate(real), c = Rate(chance);
        Assert.True(r > 2 * c, $"successor rate {r:0.000} vs chance {c:0.000}");
    }

    [Fact]
    public void NextItemSharesBrandOrColourWithThePreviousMoreOftenThanChance()
    {
        var (real, chance) = Pairs();
        double Rate(List<(int D, int Prev, int Next)> pairs) => pairs.Average(p =>
            Data.Items[p.D][p.Prev].Text.Brand == Data.Items[p.D][p.Next].Text.Brand
            || ColourOf(p.D, p.Prev) == ColourOf(p.D, p.Next) ? 1.0 : 0.0);
        double r = Rate(real), c = Rate(chance);
        Assert.True(r > 1.2 * c, $"shared brand-or-colour rate {r:0.000} vs chance {c:0.000}");
    }

    [Fact]
    public void TasteShownInOneDomainPredictsTheOther()
    {
        // Per user active in both domains: the mean style of the product types bought in each domain.
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var h in Data.Histories)
        {
            var outdoor = h.Where(e => e.Domain == 0).ToArray();
            var apparel = h.Where(e => e.Domain == 1).ToArray();
            if (outdoor.Length == 0 || apparel.Length == 0) continue;
            xs.Add(outdoor.Average(e => TypeOf(0, e.Item).Style));
            ys.Add(apparel.Average(e => TypeOf(1, e.Item).Style));
        }
        double r = Pearson(xs, ys);
        Assert.True(xs.Count > 800, $"{xs.Count} overlapping users");
        Assert.True(r > 0.3, $"cross-domain style correlation {r:0.000}");
    }

    [Fact]
    public void ColourTasteCarriesAcrossDomains()
    {
        // For users of both domains: how often the most bought colour of one domain is also the other's.
        int agree = 0, users = 0;
        foreach (var h in Data.Histories)
        {
            string? Top(int d) => h.Where(e => e.Domain == d).GroupBy(e => ColourOf(d, e.Item))
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstOrDefault();
            var (a, b) = (Top(0), Top(1));
            if (a is null || b is null) continue;
            users++;
            if (a == b) agree++;
        }
        double rate = agree / (double)users, chance = 1.0 / BuiltInVocabularies.Colours.Count;
        Assert.True(rate > 2 * chance, $"top colour agrees for {rate:0.000} of users (chance {chance:0.000})");
    }

    static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
