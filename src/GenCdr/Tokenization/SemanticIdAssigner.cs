namespace GenCdr.Tokenization;

/// <summary>Code tuples of one domain made unique, and how many collided before.</summary>
/// <param name="Codes">(c_1..c_M, d) per item; d is the item's rank among the items sharing its tuple.</param>
/// <param name="CollisionRate">Fraction of items whose (c_1..c_M) is shared with another item of the domain.</param>
/// <param name="LargestGroup">Size of the largest group of items sharing one tuple (1 when all are unique).</param>
public sealed record Disambiguation(int[][] Codes, double CollisionRate, int LargestGroup);

/// <summary>Semantic IDs and per-domain statistics of a tokenizer applied to every item.</summary>
public sealed record SemanticIdAssignment(SemanticIdTable Table, IReadOnlyList<DomainAssignment> Domains);

/// <summary>Per domain: the raw codes (before disambiguation), router gates and collision statistics.</summary>
public sealed record DomainAssignment(string Domain, int[][] RawCodes, float[] Gates, Disambiguation Disambiguation);

/// <summary>Turns item embeddings into semantic IDs that are unique within each domain (spec §1d). Collisions are
/// resolved as TIGER does: an extra level d is appended to every tuple; the items sharing (c_1..c_M) get
/// d = 0, 1, 2, … in item-index order, so an item whose tuple is unique gets d = 0. Deterministic.</summary>
public static class SemanticIdAssigner
{
    public static SemanticIdAssignment Assign(ItemTokenizer tokenizer, IReadOnlyList<DomainItems> domains)
    {
        var results = new List<DomainAssignment>();
        foreach (var domain in domains)
        {
            var (codes, gates) = tokenizer.EncodeWithGates(domain.Domain, domain.Embeddings);
            var disambiguation = Disambiguate(domain.Domain, codes, tokenizer.Config.CodebookSize);
            results.Add(new DomainAssignment(domain.Domain, codes, gates, disambiguation));
        }
        var table = new SemanticIdTable(results.Select((r, i) => new DomainSemanticIds(r.Domain, domains[i].ItemIds, r.Disambiguation.Codes)));
        return new SemanticIdAssignment(table, results);
    }

    /// <summary>Appends the disambiguation level. Throws when more than <paramref name="codebookSize"/> items share a
    /// tuple, because the extra level uses the same K values as the others.</summary>
    public static Disambiguation Disambiguate(string domain, IReadOnlyList<int[]> codes, int codebookSize)
    {
        var groupSizes = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new int[codes.Count][];
        for (int i = 0; i < codes.Count; i++)
        {
            string key = string.Join(',', codes[i]);
            int rank = groupSizes.GetValueOrDefault(key);
            if (rank >= codebookSize)
                throw new GenCdrException(
                    $"domain '{domain}': more than {codebookSize} items share the codes ({key}), so the disambiguation level " +
                    "cannot tell them apart — use a larger codebook (CodebookSize) or more levels, or check for duplicate embeddings");
            groupSizes[key] = rank + 1;
            result[i] = [.. codes[i], rank];
        }
        int collided = codes.Count(c => groupSizes[string.Join(',', c)] > 1);
        return new Disambiguation(result, codes.Count == 0 ? 0 : collided / (double)codes.Count,
            groupSizes.Count == 0 ? 0 : groupSizes.Values.Max());
    }

    /// <summary>Fraction of tuples shared with another tuple of the list (0 after disambiguation).</summary>
    public static double CollisionRate(IReadOnlyList<int[]> codes)
    {
        if (codes.Count == 0) return 0;
        var counts = codes.GroupBy(c => string.Join(',', c)).ToDictionary(g => g.Key, g => g.Count());
        return codes.Count(c => counts[string.Join(',', c)] > 1) / (double)codes.Count;
    }
}
