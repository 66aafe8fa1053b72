namespace GenCdr.Data.Synthetic;

/// <summary>
/// One simulated user: latent tastes (style, price, colour) per domain, which drift slowly, and the memory that makes
/// order matter (the previous product type per domain, the recent brands, the items already bought). A "transfer" user
/// has one taste and one brand memory for every domain (the same draw, drifting together); a "local" user has its own per
/// domain, so nothing it does in one domain bears on another.
/// Each purchase is drawn in two steps: the product type, then an item of that type.
/// </summary>
internal sealed class SyntheticShopper
{
    readonly SyntheticDatasetConfig _config;
    readonly Random _rng;
    readonly bool _local;
    readonly double[][] _colourAffinity;
    readonly int[] _previousType;
    readonly List<int>[] _bought;
    readonly HashSet<int>[] _boughtSet;
    /// <summary>The last brands bought, one memory for every domain (transfer) or one per domain (local).</summary>
    readonly Queue<string>[] _recentBrands;
    readonly double[] _style, _price;
    /// <summary>The taste vector for the items' hidden attribute per domain (shared by a transfer user's domains; empty when
    /// <see cref="SyntheticDatasetConfig.HiddenTasteWeight"/> is 0).</summary>
    readonly double[][] _hidden;

    const int RecentBrandMemory = 3;
    const int RepeatWindow = 3;

    /// <param name="hiddenRng">the stream of the hidden tastes, drawn only when <see cref="SyntheticDatasetConfig.HiddenTasteWeight"/> &gt; 0</param>
    public SyntheticShopper(SyntheticDatasetConfig config, int domainCount, int colourCount, bool local, Random rng, Random hiddenRng)
    {
        _hidden = new double[domainCount][];
        for (int d = 0; d < domainCount; d++)
            _hidden[d] = config.HiddenTasteWeight == 0 ? []
                : d > 0 && !local ? _hidden[0]
                : Enumerable.Range(0, config.HiddenTasteDimensions).Select(_ => hiddenRng.Gaussian()).ToArray();
        _config = config;
        _rng = rng;
        _local = local;
        _style = new double[domainCount];
        _price = new double[domainCount];
        _colourAffinity = new double[domainCount][];
        for (int d = 0; d < domainCount; d++)
        {
            if (d > 0 && !local)
            {
                _style[d] = _style[0];
                _price[d] = _price[0];
                _colourAffinity[d] = _colourAffinity[0];
                continue;
            }
            _style[d] = rng.Gaussian();
            _price[d] = rng.Gaussian();
            // A favourite colour and a second favourite.
            _colourAffinity[d] = new double[colourCount];
            int favourite = rng.Next(colourCount), second = rng.Next(colourCount);
            _colourAffinity[d][second] = 0.5;
            _colourAffinity[d][favourite] = 1.0;
        }
        var shared = new Queue<string>();
        _recentBrands = Enumerable.Range(0, domainCount).Select(_ => local ? new Queue<string>() : shared).ToArray();
        _previousType = Enumerable.Repeat(-1, domainCount).ToArray();
        _bought = Enumerable.Range(0, domainCount).Select(_ => new List<int>()).ToArray();
        _boughtSet = Enumerable.Range(0, domainCount).Select(_ => new HashSet<int>()).ToArray();
    }

    /// <summary>Chooses the next item (an index into the catalog) this user buys in domain d.</summary>
    /// <param name="tasteOnly">by taste, brand memory and popularity alone: no type succession, no repeat
    /// (<see cref="SyntheticDatasetConfig.ReceivingDomainTasteOnly"/>)</param>
    public int NextPurchase(int domain, SyntheticCatalog catalog, bool tasteOnly = false)
    {
        Drift();
        var bought = _bought[domain];
        int item = !tasteOnly && bought.Count >= 2 && _rng.NextDouble() < _config.RepeatPurchaseProbability
            ? RepeatPurchase(bought)
            : NewPurchase(domain, catalog, tasteOnly);
        Remember(domain, catalog.Items[item], item);
        return item;
    }

    /// <summary>A random-walk step of the tastes: one step for all domains (transfer), or one per domain (local).</summary>
    void Drift()
    {
        for (int d = 0; d < _style.Length; d++)
        {
            if (d > 0 && !_local) { _style[d] = _style[0]; _price[d] = _price[0]; continue; }
            _style[d] += _config.TasteDrift * _rng.Gaussian();
            _price[d] += _config.TasteDrift * _rng.Gaussian();
        }
    }

    int RepeatPurchase(List<int> bought)
    {
        int window = Math.Min(RepeatWindow, bought.Count);
        return bought[bought.Count - 1 - _rng.Next(window)];
    }

    int NewPurchase(int domain, SyntheticCatalog catalog, bool tasteOnly)
    {
        int type = ChooseType(domain, catalog, tasteOnly);
        var candidates = catalog.ItemsOfType[type];
        Span<double> logits = candidates.Length <= 512 ? stackalloc double[candidates.Length] : new double[candidates.Length];
        bool any = false;
        for (int c = 0; c < candidates.Length; c++)
        {
            int i = candidates[c];
            if (_boughtSet[domain].Contains(i)) { logits[c] = double.NegativeInfinity; continue; }
            logits[c] = Affinity(domain, catalog.Items[i], catalog.Hidden[i]);
            any = true;
        }
        if (!any) // bought every item of this type: any unbought item of the domain will do
            return Enumerable.Range(0, catalog.Items.Count).First(i => !_boughtSet[domain].Contains(i));
        return candidates[_rng.SampleSoftmax(logits)];
    }

    int ChooseType(int domain, SyntheticCatalog catalog, bool tasteOnly)
    {
        var types = catalog.Vocabulary.Types;
        Span<double> logits = stackalloc double[types.Count];
        int previous = tasteOnly ? -1 : _previousType[domain];
        for (int t = 0; t < types.Count; t++)
        {
            double logit = Math.Log(types[t].Frequency) + _config.TypeStyleWeight * _style[domain] * types[t].Style;
            if (previous >= 0)
            {
                if (Array.IndexOf(catalog.SuccessorsOf[previous], t) >= 0) logit += _config.SuccessorBonus;
                if (t == previous) logit -= _config.RepeatTypePenalty;
            }
            logits[t] = logit;
        }
        return _rng.SampleSoftmax(logits);
    }

    /// <summary>How much this user likes an item now: the match of tastes with the item's words (and with its
    /// <paramref name="hidden"/> attribute), brand loyalty and the item's popularity (all logits).</summary>
    double Affinity(int domain, CatalogItem item, double[] hidden) =>
        _config.ItemStyleWeight * _style[domain] * item.Style
        + _config.PriceWeight * _price[domain] * item.Price
        + _config.ColourWeight * _colourAffinity[domain][item.Colour]
        + (_recentBrands[domain].Contains(item.Brand) ? _config.RecentBrandBonus : 0)
        + (_hidden[domain].Length == 0 ? 0 : _config.HiddenTasteWeight * _hidden[domain].Zip(hidden, (t, a) => t * a).Sum())
        + item.Popularity;

    void Remember(int domain, CatalogItem item, int index)
    {
        _previousType[domain] = item.Type;
        _bought[domain].Add(index);
        _boughtSet[domain].Add(index);
        _recentBrands[domain].Enqueue(item.Brand);
        if (_recentBrands[domain].Count > RecentBrandMemory) _recentBrands[domain].Dequeue();
    }
}
