namespace GenCdr.Data.Synthetic;

/// <summary>
/// Generates the built-in two-domain data set (outdoor gear and apparel) so that everything runs without a
/// download. The data carries the three signals a cross-domain sequential recommender should exploit:
/// <list type="number">
/// <item>text: an item's latent style and price are sums of the values of its title's words, so items
/// sharing words are liked by the same users;</item>
/// <item>order: product types follow each other (tent → sleeping bag), brands recur, tastes drift;</item>
/// <item>transfer: for "transfer" users style, price and colour tastes are the same in both domains (four brands also
/// sell in both); for "local" users (<see cref="SyntheticDatasetConfig.LocalTasteFraction"/> of the multi-domain users)
/// each domain has its own tastes, so only their in-domain history predicts their in-domain choices. The kind is recorded
/// per user.</item>
/// </list>
/// Popularity is a weak signal (log-normal item popularity). Deterministic for a given seed.
/// </summary>
public static class SyntheticDatasetGenerator
{
    public static RawDataset Generate(SyntheticDatasetConfig config) =>
        Generate(config, [BuiltInVocabularies.Outdoor, BuiltInVocabularies.Apparel]);

    public static RawDataset Generate(SyntheticDatasetConfig config, IReadOnlyList<DomainVocabulary> vocabularies)
    {
        Validate(config, vocabularies);
        var rng = new Random(config.Seed);
        var catalogs = Catalogs(config, vocabularies, rng);
        var interactions = catalogs.Select(_ => new List<Interaction>()).ToArray();
        int digits = config.Users.ToString().Length;

        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        // The kinds come from their own stream, so that with no local users the data is exactly that of the generator
        // before kinds existed (same seed, same draws).
        var kinds = new Random(config.Seed + 7919);
        // so are the hidden attributes and tastes (HiddenTasteWeight), drawn only when they are used
        var hidden = HiddenStream(config);
        if (config.HiddenTasteWeight > 0) foreach (var catalog in catalogs) catalog.DrawHiddenAttributes(hidden, config.HiddenTasteDimensions);
        for (int u = 0; u < config.Users; u++)
        {
            string user = "U" + (u + 1).ToString().PadLeft(digits, '0');
            bool local = kinds.NextDouble() < config.LocalTasteFraction;
            int? receiving = !local && config.TransferReceivingEvents > 0 ? kinds.Next(catalogs.Length) : null;
            var shopper = new SyntheticShopper(config, catalogs.Length, BuiltInVocabularies.Colours.Count, local, rng, hidden);
            var domainOrder = DomainSequence(config, catalogs.Length, receiving, rng);
            if (domainOrder.Distinct().Count() > 1)
                groups[user] = local ? LocalUsers
                    : receiving is { } r ? TransferUsers + PreparedDataset.GroupDomainSeparator + catalogs[r].Vocabulary.Name
                    : TransferUsers;
            long time = config.StartUnixSeconds + (long)(rng.NextDouble() * config.StartSpreadDays * 86400);
            foreach (int d in domainOrder)
            {
                time += NextGapSeconds(config, rng);
                int item = shopper.NextPurchase(d, catalogs[d], tasteOnly: config.ReceivingDomainTasteOnly && d == receiving);
                interactions[d].Add(new Interaction(user, catalogs[d].Items[item].Item.Id, time));
            }
        }

        var domains = catalogs.Select((c, d) =>
            new DomainData(c.Vocabulary.Name, c.Items.Select(i => i.Item).ToArray(), interactions[d])).ToArray();
        return new RawDataset(config.Name, domains) { UserGroups = groups };
    }

    static SyntheticCatalog[] Catalogs(SyntheticDatasetConfig config, IReadOnlyList<DomainVocabulary> vocabularies, Random rng) =>
        vocabularies.Select(v => new SyntheticCatalog(v, config.ItemsPerDomain, config.PopularitySpread, rng)).ToArray();

    static Random HiddenStream(SyntheticDatasetConfig config) => new(config.Seed + 104_729);

    /// <summary>The hidden attribute of every item of the built-in data set of <paramref name="config"/>
    /// (<see cref="SyntheticDatasetConfig.HiddenTasteWeight"/>), per domain by item id, as <see cref="Generate(SyntheticDatasetConfig)"/>
    /// draws it (for tests and analyses: the data set itself shows it nowhere).</summary>
    internal static IReadOnlyList<Dictionary<string, double[]>> HiddenAttributes(SyntheticDatasetConfig config)
    {
        var catalogs = Catalogs(config, [BuiltInVocabularies.Outdoor, BuiltInVocabularies.Apparel], new Random(config.Seed));
        var hidden = HiddenStream(config);
        return catalogs.Select(c =>
        {
            c.DrawHiddenAttributes(hidden, config.HiddenTasteDimensions);
            return c.Items.Select((item, i) => (item.Item.Id, c.Hidden[i])).ToDictionary(x => x.Id, x => x.Item2);
        }).ToArray();
    }

    /// <summary>The recorded kinds of the users active in several domains (single-domain users have none).</summary>
    public const string TransferUsers = "transfer", LocalUsers = "local";

    /// <summary>The domain of each of one user's events, in time order: the user's domains (one, or all with
    /// probability <see cref="SyntheticDatasetConfig.OverlapFraction"/>), each with a long-tailed number of
    /// events ≥ the minimum, shuffled together so that the domains interleave. A multi-domain user with a
    /// <paramref name="receiving"/> domain has exactly <see cref="SyntheticDatasetConfig.TransferReceivingEvents"/> there.</summary>
    static List<int> DomainSequence(SyntheticDatasetConfig config, int domainCount, int? receiving, Random rng)
    {
        bool all = rng.NextDouble() < config.OverlapFraction;
        IEnumerable<int> used = all ? Enumerable.Range(0, domainCount) : [rng.Next(domainCount)];
        var sequence = new List<int>();
        foreach (int d in used)
        {
            double extra = rng.Exponential(Math.Max(0, config.MeanEventsPerDomain - config.MinEventsPerDomain));
            int count = Math.Min(config.MaxEventsPerDomain, config.MinEventsPerDomain + (int)Math.Round(extra));
            if (all && d == receiving) count = config.TransferReceivingEvents;
            for (int i = 0; i < count; i++) sequence.Add(d);
        }
        rng.Shuffle(sequence);
        return sequence;
    }

    /// <summary>Seconds to the next event: minutes within a session, otherwise days (always ≥ 1 s, so each
    /// user's timestamps strictly increase).</summary>
    static long NextGapSeconds(SyntheticDatasetConfig config, Random rng) =>
        rng.NextDouble() < config.SameSessionProbability
            ? 60 + (long)rng.Exponential(15 * 60)
            : 3600 + (long)rng.Exponential(config.MeanDaysBetweenSessions * 86400);

    static void Validate(SyntheticDatasetConfig config, IReadOnlyList<DomainVocabulary> vocabularies)
    {
        void Require(bool ok, string problem) { if (!ok) throw new GenCdrException($"synthetic data set: {problem}"); }
        Require(config.Users >= 1, $"Users must be ≥ 1 (got {config.Users})");
        Require(config.ItemsPerDomain >= 2 * config.MaxEventsPerDomain,
            $"ItemsPerDomain ({config.ItemsPerDomain}) must be ≥ 2 × MaxEventsPerDomain ({config.MaxEventsPerDomain})");
        Require(config.OverlapFraction is >= 0 and <= 1, $"OverlapFraction must be in [0, 1] (got {config.OverlapFraction})");
        Require(config.LocalTasteFraction is >= 0 and <= 1, $"LocalTasteFraction must be in [0, 1] (got {config.LocalTasteFraction})");
        Require(config.TransferReceivingEvents == 0 || config.TransferReceivingEvents >= 3,
            $"TransferReceivingEvents must be 0 (off) or ≥ 3 (got {config.TransferReceivingEvents})");
        Require(!config.ReceivingDomainTasteOnly || config.TransferReceivingEvents > 0,
            "ReceivingDomainTasteOnly needs TransferReceivingEvents > 0 (it shapes the receiving domain's purchases)");
        Require(config.TransferReceivingEvents <= config.MaxEventsPerDomain,
            $"TransferReceivingEvents ({config.TransferReceivingEvents}) must be ≤ MaxEventsPerDomain ({config.MaxEventsPerDomain})");
        Require(config.MinEventsPerDomain >= 1, $"MinEventsPerDomain must be ≥ 1 (got {config.MinEventsPerDomain})");
        Require(config.MaxEventsPerDomain >= config.MinEventsPerDomain,
            $"MaxEventsPerDomain ({config.MaxEventsPerDomain}) must be ≥ MinEventsPerDomain ({config.MinEventsPerDomain})");
        Require(config.MeanEventsPerDomain >= config.MinEventsPerDomain,
            $"MeanEventsPerDomain ({config.MeanEventsPerDomain}) must be ≥ MinEventsPerDomain ({config.MinEventsPerDomain})");
        Require(config.RepeatPurchaseProbability is >= 0 and <= 1, "RepeatPurchaseProbability must be in [0, 1]");
        Require(config.HiddenTasteWeight >= 0 && double.IsFinite(config.HiddenTasteWeight),
            $"HiddenTasteWeight must be a finite number ≥ 0 (got {config.HiddenTasteWeight})");
        Require(config.HiddenTasteDimensions >= 1, $"HiddenTasteDimensions must be ≥ 1 (got {config.HiddenTasteDimensions})");
        Require(config.SameSessionProbability is >= 0 and <= 1, "SameSessionProbability must be in [0, 1]");
        Require(vocabularies.Count >= 1, "at least one domain vocabulary is required");
        Require(vocabularies.Select(v => v.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() == vocabularies.Count,
            "domain names must be distinct");
    }
}
