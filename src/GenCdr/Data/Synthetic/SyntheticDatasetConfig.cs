namespace GenCdr.Data.Synthetic;

/// <summary>
/// Settings of the built-in generated cross-domain data set (outdoor gear + apparel). The paper has no such
/// data set (it uses Amazon and Douban); it exists so that every part of the project runs with no download.
/// Defaults give ≈ 3,000 users, 1,500 items per domain, ≈ 10 events per user and domain used, and 35% of users
/// active in both domains. The weights set how strongly each signal drives the choices; all are in logits.
/// </summary>
public sealed record SyntheticDatasetConfig
{
    /// <summary>Data set name written into the RawDataset.</summary>
    public string Name { get; init; } = "synthetic-outdoor-apparel";
    /// <summary>Number of users. Default 3,000.</summary>
    public int Users { get; init; } = 3000;
    /// <summary>Items generated per domain. Default 1,500.</summary>
    public int ItemsPerDomain { get; init; } = 1500;
    /// <summary>Seed of every random choice: the same seed gives identical data.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>Fraction of users active in both domains (the rest use one). Default 0.35.</summary>
    public double OverlapFraction { get; init; } = 0.35;
    /// <summary>Fraction of the users active in several domains whose tastes are their own in each domain ("local"
    /// users: their other domains' history says nothing about what they pick in this one), the rest share one taste
    /// across domains ("transfer" users). The generator records each user's kind (RawDataset.UserGroups), so that the
    /// router diagnostics can ask whether the user router tells the two apart (issue #12). Default 0: the built-in data
    /// set as it was (every multi-domain user a transfer user); 0.5 gives the designed split, which is not the default
    /// until the bench has measured what it does to every model.</summary>
    public double LocalTasteFraction { get; init; } = 0;
    /// <summary>When &gt; 0, each "transfer" user has exactly this many events in one of its domains, drawn at random (its
    /// "receiving" domain), and the usual long-tailed count in the others; its kind is recorded as "transfer@DOMAIN". There
    /// its in-domain history is short (at test: this count − 1 events) while its history in the other domains, of the same
    /// taste, is long, so the universal pass on the whole history should know it better than the domain pass on its
    /// in-domain history (measured: only slightly, since two in-domain items already carry the product-type succession,
    /// brand recency and much of the taste; docs/routers.md); a local user's other domains say nothing about this one. The user router should then give these users
    /// more of P_univ than the local users (issue #12, designed effect (c); what a router can see of the kind is the share
    /// and the agreement of the user's domains). Default 0: off. Must be ≥ 3 (a training, a validation and a test event).</summary>
    public int TransferReceivingEvents { get; init; } = 0;
    /// <summary>With <see cref="TransferReceivingEvents"/>: in a transfer user's receiving domain every purchase follows the
    /// user's taste (style, price, colour; brand memory, which a transfer user shares across domains) and the items'
    /// popularity only: no product-type succession, no repeat-type penalty, no repeat purchase. Its two earlier items there
    /// then say little of the next one, while its long history in the other domain, of the same taste, says much: the
    /// case where the universal pass must beat the domain pass (issue #12, designed effect (b); without it two in-domain
    /// items carried the succession signal and the two passes were level, docs/routers.md). Default false.</summary>
    public bool ReceivingDomainTasteOnly { get; init; }
    /// <summary>Weight of a taste no text shows: every item has a hidden attribute vector (<see cref="HiddenTasteDimensions"/>
    /// standard normal draws, written in none of its words) and every user a taste vector for it (one for all domains for a
    /// transfer user, one per domain for a local user), adding weight × ⟨taste, attribute⟩ to the item's logit. The
    /// semantic IDs, made of the text, cannot carry it; only which items a user bought reveals it, and with several
    /// dimensions one purchase reveals little of it: for a transfer user with a short receiving-domain history mostly its
    /// other domain's purchases do — the cross-domain signal of issue #12's designed effect (b), which the visible tastes
    /// (written in the titles, so two in-domain items already show them) could not make (docs/routers.md). Drawn from
    /// streams of their own, so with 0 (the default) the data set is exactly the one before the field existed.</summary>
    public double HiddenTasteWeight { get; init; } = 0;
    /// <summary>Dimensions of the hidden attribute and taste (<see cref="HiddenTasteWeight"/>). Default 8: a one-dimensional
    /// taste is given away by the sign of one purchase (measured, docs/routers.md).</summary>
    public int HiddenTasteDimensions { get; init; } = 8;
    /// <summary>Minimum events per user in each domain the user uses (≥ 3 keeps every user evaluable). Default 5.</summary>
    public int MinEventsPerDomain { get; init; } = 5;
    /// <summary>Mean events per user in each domain the user uses (long-tailed above the minimum). Default 10.</summary>
    public double MeanEventsPerDomain { get; init; } = 10;
    /// <summary>Cap on events per user and domain. Default 40.</summary>
    public int MaxEventsPerDomain { get; init; } = 40;

    /// <summary>Weight of style taste × product-type style when choosing what kind of product comes next.</summary>
    public double TypeStyleWeight { get; init; } = 1.5;
    /// <summary>Logit bonus for a type that follows the user's previous type of the same domain (tent → sleeping bag).</summary>
    public double SuccessorBonus { get; init; } = 2.5;
    /// <summary>Logit penalty for buying the same product type twice in a row.</summary>
    public double RepeatTypePenalty { get; init; } = 1.5;
    /// <summary>Weight of style taste × item style (from type, brand and descriptor words).</summary>
    public double ItemStyleWeight { get; init; } = 1.5;
    /// <summary>Weight of price taste × item price (from brand, material and descriptor words).</summary>
    public double PriceWeight { get; init; } = 1.5;
    /// <summary>Weight of the user's colour preference.</summary>
    public double ColourWeight { get; init; } = 1.5;
    /// <summary>Logit bonus for a brand among the user's last few purchases in any domain (brand loyalty,
    /// which also crosses domains through the brands both domains sell).</summary>
    public double RecentBrandBonus { get; init; } = 1.0;
    /// <summary>Standard deviation of item popularity in logits (log-normal popularity: a mild long tail).</summary>
    public double PopularitySpread { get; init; } = 0.8;
    /// <summary>Standard deviation of the per-event random-walk step of the style and price tastes (slow drift).</summary>
    public double TasteDrift { get; init; } = 0.08;
    /// <summary>Probability that an event re-buys one of the user's last three items of the domain.</summary>
    public double RepeatPurchaseProbability { get; init; } = 0.04;

    /// <summary>First possible timestamp (unix seconds). Default 2019-01-01T00:00:00Z.</summary>
    public long StartUnixSeconds { get; init; } = 1546300800;
    /// <summary>Users start at a uniform time within this many days of the start. Default 730.</summary>
    public double StartSpreadDays { get; init; } = 730;
    /// <summary>Mean days between two shopping sessions. Default 9.</summary>
    public double MeanDaysBetweenSessions { get; init; } = 9;
    /// <summary>Probability that the next event belongs to the same session (minutes later). Default 0.3.</summary>
    public double SameSessionProbability { get; init; } = 0.3;
}
