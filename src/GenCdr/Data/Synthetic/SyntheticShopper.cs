namespace GenCdr.Data.Synthetic;

/// <summary>
/// One simulated user: latent tastes shared by all domains (style, price, colour), which drift slowly, and
/// the memory that makes order matter (the previous product type per domain, the recent brands, the items
/// already bought). Each purchase is drawn in two steps: the product type, then an item of that type.
/// </summary>
internal sealed class SyntheticShopper
{
    readonly SyntheticDatasetConfig _config;
    readonly Random _rng;
    readonly double[] _colourAffinity;
    readonly int[] _previousType;
    readonly List<int>[] _bought;
    readonly HashSet<int>[] _boughtSet;
    readonly Queue<string> _recentBrands = new();
    double _style, _price;

    const int RecentBrandMemory = 3;
    const int RepeatWindow = 3;

    public SyntheticShopper(SyntheticDatasetConfig config, int domainCount, int colourCount, Random rng)
    {
        _config = config;
        _rng = rng;
        _style = rng.Gaussian();
        _price = rng.Gaussian();
        // A favourite colour and a second favourite: the colour taste holds in every domain.
        _colourAffinity = new double[colourCount];
        int favourite = rng.Next(colourCount), second = rng.Next(colourCount);
        _colourAffinity[second] = 0.5;
        _colourAffinity[favourite] = 1.0;
        _previousType = Enumerable.Repeat(-1, domainCount).ToArray();
        _bought = Enumerable.Range(0, domainCount).Select(_ => new List<int>()).ToArray();
        _boughtSet = Enumerable.Range(0, domainCount).Select(_ => new HashSet<int>()).ToArray();
    }

    /// <summary>Chooses the next item (an index into the catalog) this user buys in domain d.</summary>
    public int NextPurchase(int domain, SyntheticCatalog catalog)
    {
        Drift();
        var bought = _bought[domain];
        int item = bought.Count >= 2 && _rng.NextDouble() < _config.RepeatPurchaseProbability
            ? RepeatPurchase(bought)
            : NewPurchase(domain, catalog);
        Remember(domain, catalog.Items[item], item);
        return item;
    }

    void Drift()
    {
        _style += _config.TasteDrift * _rng.Gaussian();
        _price += _config.TasteDrift * _rng.Gaussian();
    }

    int RepeatPurchase(List<int> bought)
    {
        int window = Math.Min(RepeatWindow, bought.Count);
        return bought[bought.Count - 1 - _rng.Next(window)];
    }

    int NewPurchase(int domain, SyntheticCatalog catalog)
    {
        int type = ChooseType(domain, catalog);
        var candidates = catalog.ItemsOfType[type];
        Span<double> logits = candidates.Length <= 512 ? stackalloc double[candidates.Length] : new double[candidates.Length];
        bool any = false;
        for (int c = 0; c < candidates.Length; c++)
        {
            int i = candidates[c];
            if (_boughtSet[domain].Contains(i)) { logits[c] = double.NegativeInfinity; continue; }
            logits[c] = Affinity(catalog.Items[i]);
            any = true;
        }
        if (!any) // bought every item of this type: any unbought item of the domain will do
            return Enumerable.Range(0, catalog.Items.Count).First(i => !_boughtSet[domain].Contains(i));
        return candidates[_rng.SampleSoftmax(logits)];
    }

    int ChooseType(int domain, SyntheticCatalog catalog)
    {
        var types = catalog.Vocabulary.Types;
        Span<double> logits = stackalloc double[types.Count];
        int previous = _previousType[domain];
        for (int t = 0; t < types.Count; t++)
        {
            double logit = Math.Log(types[t].Frequency) + _config.TypeStyleWeight * _style * types[t].Style;
            if (previous >= 0)
            {
                if (Array.IndexOf(catalog.SuccessorsOf[previous], t) >= 0) logit += _config.SuccessorBonus;
                if (t == previous) logit -= _config.RepeatTypePenalty;
            }
            logits[t] = logit;
        }
        return _rng.SampleSoftmax(logits);
    }

    /// <summary>How much this user likes an item now: the match of tastes with the item's words, brand
    /// loyalty and the item's popularity (all logits).</summary>
    double Affinity(CatalogItem item) =>
        _config.ItemStyleWeight * _style * item.Style
        + _config.PriceWeight * _price * item.Price
        + _config.ColourWeight * _colourAffinity[item.Colour]
        + (_recentBrands.Contains(item.Brand) ? _config.RecentBrandBonus : 0)
        + item.Popularity;

    void Remember(int domain, CatalogItem item, int index)
    {
        _previousType[domain] = item.Type;
        _bought[domain].Add(index);
        _boughtSet[domain].Add(index);
        _recentBrands.Enqueue(item.Brand);
        if (_recentBrands.Count > RecentBrandMemory) _recentBrands.Dequeue();
    }
}
