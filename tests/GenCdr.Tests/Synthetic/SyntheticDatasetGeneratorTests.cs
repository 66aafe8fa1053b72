using GenCdr.Data;
using GenCdr.Data.Synthetic;

namespace GenCdr.Tests.Synthetic;

public class SyntheticDatasetGeneratorTests
{
    static readonly SyntheticDatasetConfig Small = new() { Users = 300, ItemsPerDomain = 400 };

    static IEnumerable<string> Lines(RawDataset raw) =>
        raw.Domains.SelectMany(d => d.Items.Select(i => $"{d.Name}|{i.Id}|{i.Text.Title}|{i.Text.Description}|{string.Join("/", i.Text.Categories)}")
            .Concat(d.Interactions.Select(x => $"{d.Name}|{x.User}|{x.Item}|{x.Timestamp}")));

    [Fact]
    public void SameSeedGivesIdenticalData()
    {
        var a = SyntheticDatasetGenerator.Generate(Small);
        var b = SyntheticDatasetGenerator.Generate(Small);
        Assert.Equal(Lines(a), Lines(b));
    }

    [Fact]
    public void DifferentSeedGivesDifferentData()
    {
        var a = SyntheticDatasetGenerator.Generate(Small);
        var b = SyntheticDatasetGenerator.Generate(Small with { Seed = Small.Seed + 1 });
        Assert.NotEqual(Lines(a), Lines(b));
        var interactionsA = a.Domains[0].Interactions.Select(x => (x.User, x.Item)).ToHashSet();
        var shared = b.Domains[0].Interactions.Count(x => interactionsA.Contains((x.User, x.Item)));
        Assert.True(shared < b.Domains[0].Interactions.Count / 5, $"{shared} of {b.Domains[0].Interactions.Count} events repeat");
    }

    /// <summary>Issue #12's designed split: every user active in both domains is recorded as "local" or "transfer" in the
    /// configured proportion, single-domain users as neither, and the kinds survive preparation and the store.</summary>
    [Fact]
    public void Multi_domain_users_are_recorded_as_local_or_transfer_in_the_configured_proportion()
    {
        var raw = SyntheticDatasetGenerator.Generate(Small with { Users = 2000, LocalTasteFraction = 0.3 });
        var domainsOf = raw.Domains.SelectMany(d => d.Interactions.Select(i => (i.User, d.Name))).Distinct()
            .GroupBy(x => x.User).ToDictionary(g => g.Key, g => g.Count());
        var groups = raw.UserGroups!;
        Assert.All(domainsOf, kv => Assert.Equal(kv.Value > 1, groups.ContainsKey(kv.Key)));
        double local = groups.Values.Count(g => g == SyntheticDatasetGenerator.LocalUsers) / (double)groups.Count;
        Assert.InRange(local, 0.25, 0.35);
        Assert.All(groups.Values, g => Assert.Contains(g, new[] { SyntheticDatasetGenerator.LocalUsers, SyntheticDatasetGenerator.TransferUsers }));

        var prepared = DatasetPreparer.Prepare(raw);
        string dir = Directory.CreateTempSubdirectory("gencdr-groups-").FullName;
        try
        {
            PreparedDatasetStore.Save(prepared, dir);
            var loaded = PreparedDatasetStore.Load(dir);
            Assert.Equal(prepared.UserGroups, loaded.UserGroups);
            Assert.Equal(prepared.UserIds.Select(id => groups.GetValueOrDefault(id, "")), loaded.UserGroups!);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>Issue #12's receiving domain: every transfer user has exactly TransferReceivingEvents events in the domain
    /// its group names and at least the minimum in the other; local users keep their long-tailed counts.</summary>
    [Fact]
    public void Transfer_users_have_the_configured_short_history_in_the_receiving_domain_their_group_names()
    {
        var designed = Small with { Users = 1500, LocalTasteFraction = 0.5 };
        var raw = SyntheticDatasetGenerator.Generate(designed with { TransferReceivingEvents = 3 });
        var count = raw.Domains.SelectMany(d => d.Interactions.Select(i => (i.User, d.Name)))
            .GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        var groups = raw.UserGroups!;
        var transfer = groups.Where(g => g.Value.StartsWith(SyntheticDatasetGenerator.TransferUsers + "@")).ToList();
        var local = groups.Where(g => g.Value == SyntheticDatasetGenerator.LocalUsers).ToList();
        Assert.Equal(groups.Count, transfer.Count + local.Count);
        Assert.InRange(transfer.Count / (double)groups.Count, 0.4, 0.6);
        Assert.Equal(2, transfer.Select(g => g.Value).Distinct().Count()); // both domains receive
        foreach (var (user, group) in transfer)
        {
            string receiving = group[(group.IndexOf('@') + 1)..];
            Assert.Equal(3, count[(user, receiving)]);
            Assert.All(raw.Domains.Where(d => d.Name != receiving), d => Assert.True(count[(user, d.Name)] >= designed.MinEventsPerDomain));
        }
        Assert.All(local, g => Assert.All(raw.Domains, d => Assert.True(count[(g.Key, d.Name)] >= designed.MinEventsPerDomain)));

        var bad = Assert.Throws<GenCdrException>(() => SyntheticDatasetGenerator.Generate(designed with { TransferReceivingEvents = 2 }));
        Assert.Contains("TransferReceivingEvents", bad.Message);
    }

    /// <summary>Designed effect (b): with ReceivingDomainTasteOnly a transfer user's purchases in its receiving domain no
    /// longer follow the product-type succession (nor repeat an item), while its other domain's still do.</summary>
    [Fact]
    public void In_the_receiving_domain_a_taste_only_transfer_user_drops_the_type_succession()
    {
        var designed = Small with { Users = 3000, OverlapFraction = 0.8, LocalTasteFraction = 0.5, TransferReceivingEvents = 3 };
        var vocabularies = new[] { BuiltInVocabularies.Outdoor, BuiltInVocabularies.Apparel };
        (double Receiving, double Other, int Repeats) SuccessionRates(RawDataset raw)
        {
            var successors = vocabularies.ToDictionary(v => v.Name, v => v.Types.ToDictionary(t => t.Name, t => t.Successors.ToHashSet()));
            var typeOf = raw.Domains.ToDictionary(d => d.Name, d => d.Items.ToDictionary(i => i.Id, i => i.Text.Categories[2]));
            int[] follows = new int[2], pairs = new int[2];
            int repeats = 0;
            foreach (var (user, group) in raw.UserGroups!.Where(g => g.Value.StartsWith(SyntheticDatasetGenerator.TransferUsers + "@")))
            {
                string receiving = group[(group.IndexOf('@') + 1)..];
                foreach (var domain in raw.Domains)
                {
                    var items = domain.Interactions.Where(x => x.User == user).OrderBy(x => x.Timestamp).Select(x => x.Item).ToList();
                    int k = domain.Name == receiving ? 0 : 1;
                    if (k == 0 && items.Distinct().Count() < items.Count) repeats++;
                    for (int i = 1; i < items.Count; i++)
                    {
                        pairs[k]++;
                        if (successors[domain.Name][typeOf[domain.Name][items[i - 1]]].Contains(typeOf[domain.Name][items[i]])) follows[k]++;
                    }
                }
            }
            return (follows[0] / (double)pairs[0], follows[1] / (double)pairs[1], repeats);
        }
        var habits = SuccessionRates(SyntheticDatasetGenerator.Generate(designed));
        var tasteOnly = SuccessionRates(SyntheticDatasetGenerator.Generate(designed with { ReceivingDomainTasteOnly = true }));
        // with habits the receiving domain follows the succession as often as the other domain; taste-only, far less often
        Assert.InRange(habits.Receiving, habits.Other - 0.1, habits.Other + 0.1);
        Assert.True(tasteOnly.Receiving < habits.Receiving - 0.2, $"succession rate {tasteOnly.Receiving:F2} taste-only vs {habits.Receiving:F2}");
        Assert.InRange(tasteOnly.Other, habits.Other - 0.1, habits.Other + 0.1);
        Assert.Equal(0, tasteOnly.Repeats);
        Assert.Contains("TransferReceivingEvents", Assert.Throws<GenCdrException>(() =>
            SyntheticDatasetGenerator.Generate(Small with { ReceivingDomainTasteOnly = true })).Message);
    }

    [Fact]
    public void A_group_written_for_one_domain_counts_in_that_domain_only()
    {
        Assert.Equal("transfer", PreparedDataset.GroupInDomain("transfer@apparel", "apparel"));
        Assert.Equal("transfer", PreparedDataset.GroupInDomain("transfer@apparel", "Apparel"));
        Assert.Equal("", PreparedDataset.GroupInDomain("transfer@apparel", "outdoor"));
        Assert.Equal("local", PreparedDataset.GroupInDomain("local", "outdoor"));
        Assert.Equal("", PreparedDataset.GroupInDomain("", "outdoor"));
    }

    [Fact]
    public void DefaultHasTheAdvertisedShape()
    {
        var raw = SyntheticPreparation.DefaultRaw;
        Assert.Equal(["outdoor", "apparel"], raw.Domains.Select(d => d.Name));
        Assert.All(raw.Domains, d => Assert.Equal(1500, d.Items.Count));
        Assert.All(raw.Domains, d => Assert.Equal(d.Items.Count, d.Items.Select(i => i.Id).Distinct().Count()));
        Assert.All(raw.Domains, d => Assert.Equal(d.Items.Count, d.Items.Select(i => i.Text.Title).Distinct().Count()));

        var perUserDomain = raw.Domains.SelectMany((d, di) => d.Interactions.Select(x => (x.User, Domain: di)))
            .GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(perUserDomain.Values, n => Assert.True(n >= 5, $"a user has {n} events in a domain"));
        double mean = perUserDomain.Values.Average();
        Assert.InRange(mean, 8.0, 12.0);

        var users = perUserDomain.Keys.Select(k => k.User).Distinct().ToList();
        Assert.Equal(3000, users.Count);
        double overlap = users.Count(u => perUserDomain.ContainsKey((u, 0)) && perUserDomain.ContainsKey((u, 1))) / (double)users.Count;
        Assert.InRange(overlap, 0.31, 0.39);
    }

    [Fact]
    public void TimestampsAreRealisticStrictlyIncreasingPerUserAndDomainsInterleave()
    {
        var raw = SyntheticPreparation.DefaultRaw;
        var byUser = raw.Domains.SelectMany((d, di) => d.Interactions.Select(x => (x.User, x.Timestamp, Domain: di)))
            .GroupBy(x => x.User).ToList();
        long min = byUser.Min(g => g.Min(x => x.Timestamp)), max = byUser.Max(g => g.Max(x => x.Timestamp));
        Assert.True(min >= 1546300800, "before 2019");
        Assert.True(max < 1893456000, "after 2030");
        Assert.All(byUser, g => Assert.Equal(g.Count(), g.Select(x => x.Timestamp).Distinct().Count()));
        // Overlapping users switch domain along their timeline, rather than doing all of one domain first.
        var overlapping = byUser.Where(g => g.Select(x => x.Domain).Distinct().Count() == 2).ToList();
        double switches = overlapping.Average(g =>
        {
            var domains = g.OrderBy(x => x.Timestamp).Select(x => x.Domain).ToArray();
            return Enumerable.Range(1, domains.Length - 1).Count(i => domains[i] != domains[i - 1]);
        });
        Assert.True(switches > 3, $"mean domain switches per overlapping user {switches:0.00}");
    }

    [Fact]
    public void TitlesAreBuiltFromTheDomainVocabulary()
    {
        var raw = SyntheticPreparation.DefaultRaw;
        var outdoor = raw.Domains[0].Items;
        Assert.All(outdoor, i => Assert.Contains(BuiltInVocabularies.Outdoor.Types, t => i.Text.Title.EndsWith(" " + t.Name)));
        Assert.All(outdoor, i => Assert.StartsWith(i.Text.Brand + " ", i.Text.Title));
        Assert.All(outdoor, i => Assert.Contains(BuiltInVocabularies.Colours, c => i.Text.Title.Contains(" " + c + " ")));
        Assert.All(raw.Domains[1].Items, i => Assert.Equal("apparel", i.Domain));
    }

    [Fact]
    public void RejectsBadConfig()
    {
        var e = Assert.Throws<GenCdrException>(() => SyntheticDatasetGenerator.Generate(Small with { OverlapFraction = 1.5 }));
        Assert.Contains("OverlapFraction", e.Message);
        Assert.Throws<GenCdrException>(() => SyntheticDatasetGenerator.Generate(Small with { Users = 0 }));
    }
}
