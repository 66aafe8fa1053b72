namespace GenCdr.Data.Synthetic;

/// <summary>A generated item with the latent values behind its text: its product type, colour and brand,
/// its position on the shared style and price axes, and its popularity (a logit).</summary>
internal sealed record CatalogItem(Item Item, int Type, int Colour, string Brand, double Style, double Price,
    double Popularity);

/// <summary>
/// The items of one domain, written from a <see cref="DomainVocabulary"/>: "{brand} {descriptor} {colour}
/// {material} {type}", e.g. "Trailmaster waterproof olive ripstop nylon hiking backpack". An item's latent
/// style and price are sums of its words' values, so the text carries the signal users respond to.
/// </summary>
internal sealed class SyntheticCatalog
{
    public DomainVocabulary Vocabulary { get; }
    public IReadOnlyList<CatalogItem> Items { get; }
    /// <summary>ItemsOfType[t]: indices of the items of product type t.</summary>
    public IReadOnlyList<int[]> ItemsOfType { get; }
    /// <summary>SuccessorsOf[t]: type indices that tend to follow type t.</summary>
    public IReadOnlyList<int[]> SuccessorsOf { get; }
    /// <summary>Hidden[i]: item i's attribute vector that no word of its text shows (<see cref="SyntheticDatasetConfig.HiddenTasteWeight"/>);
    /// empty vectors until <see cref="DrawHiddenAttributes"/>.</summary>
    public double[][] Hidden { get; private set; } = [];

    public SyntheticCatalog(DomainVocabulary vocabulary, int itemCount, double popularitySpread, Random rng)
    {
        Vocabulary = vocabulary;
        var types = vocabulary.Types;
        var typeIndex = types.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i);
        SuccessorsOf = types.Select(t => t.Successors.Select(s => typeIndex.TryGetValue(s, out var i)
            ? i : throw new InvalidOperationException($"unknown successor type '{s}' in {vocabulary.Name}")).ToArray()).ToArray();

        var items = new List<CatalogItem>(itemCount);
        var titles = new HashSet<string>(StringComparer.Ordinal);
        double totalFrequency = types.Sum(t => t.Frequency);
        var colours = BuiltInVocabularies.Colours;
        // Spread items over types in proportion to type frequency (at least one item per type).
        var perType = types.Select(t => Math.Max(1, (int)Math.Round(itemCount * t.Frequency / totalFrequency))).ToArray();
        while (perType.Sum() > itemCount) perType[Array.IndexOf(perType, perType.Max())]--;
        while (perType.Sum() < itemCount) perType[Array.IndexOf(perType, perType.Min())]++;

        for (int t = 0; t < types.Count; t++)
        {
            var type = types[t];
            var materials = vocabulary.Materials.Where(m => m.Kind == type.Materials).ToArray();
            if (materials.Length == 0) throw new InvalidOperationException($"no {type.Materials} material in {vocabulary.Name}");
            for (int n = 0; n < perType[t]; n++)
            {
                for (int attempt = 0; ; attempt++)
                {
                    var brand = vocabulary.Brands[rng.Next(vocabulary.Brands.Count)];
                    var descriptor = vocabulary.Descriptors[rng.Next(vocabulary.Descriptors.Count)];
                    var material = materials[rng.Next(materials.Length)];
                    int colour = rng.Next(colours.Count);
                    string title = $"{brand.Name} {descriptor.Word} {colours[colour]} {material.Name} {type.Name}";
                    if (!titles.Add(title) && attempt < 50) continue;
                    if (attempt >= 50) title += $" ({n + 1})"; // vocabulary too small for this many items
                    string article = "aeiou".Contains(descriptor.Word[0]) ? "An" : "A";
                    string description = $"{article} {descriptor.Word} {type.Name} by {brand.Name}, made of {colours[colour]} " +
                                         $"{material.Name}. {type.Group} / {vocabulary.DisplayName}.";
                    var text = new ItemText(title, brand.Name, [vocabulary.DisplayName, type.Group, type.Name], description);
                    double style = type.Style + 0.5 * descriptor.Style + 0.5 * brand.Style;
                    double price = brand.Price + 0.5 * material.Price + 0.3 * descriptor.Price;
                    double popularity = popularitySpread * rng.Gaussian();
                    items.Add(new CatalogItem(new Item("", vocabulary.Name, text), t, colour, brand.Name, style, price, popularity));
                    break;
                }
            }
        }
        // Shuffle so that an item's index and id say nothing about its type, then number the ids.
        rng.Shuffle(items);
        for (int i = 0; i < items.Count; i++)
            items[i] = items[i] with { Item = items[i].Item with { Id = $"{vocabulary.ItemIdPrefix}{i + 1:D5}" } };
        Items = items;
        ItemsOfType = Enumerable.Range(0, types.Count)
            .Select(t => Enumerable.Range(0, items.Count).Where(i => items[i].Type == t).ToArray()).ToArray();
        Hidden = items.Select(_ => Array.Empty<double>()).ToArray();
    }

    /// <summary>Draws every item's hidden attribute vector (standard normal, <paramref name="dimensions"/> values) from <paramref name="rng"/>.</summary>
    public void DrawHiddenAttributes(Random rng, int dimensions) =>
        Hidden = Items.Select(_ => Enumerable.Range(0, dimensions).Select(_ => rng.Gaussian()).ToArray()).ToArray();
}
