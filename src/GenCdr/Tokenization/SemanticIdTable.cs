using System.Globalization;
using System.Text;
using GenCdr.Data;

namespace GenCdr.Tokenization;

/// <summary>The semantic IDs of one domain: item i has raw id ItemIds[i] and codes Codes[i] = (c_1..c_M, d), where
/// d is the disambiguation level.</summary>
public sealed record DomainSemanticIds(string Domain, IReadOnlyList<string> ItemIds, int[][] Codes);

/// <summary>Semantic IDs of the items of every domain, in both directions: item index → codes and codes → item
/// index (the decoder maps a generated code tuple back to its item, spec §3). Codes are unique within a domain;
/// different domains may reuse a tuple. Saved as a readable TSV with one row per item.</summary>
public sealed class SemanticIdTable
{
    /// <summary>Codes are packed 16 bits each into a 128-bit key, so at most 8 levels of values below 65536.</summary>
    public const int MaxCodeLength = 8;
    public const int MaxCodeValue = ushort.MaxValue;

    private readonly List<string> domains = new();
    private readonly Dictionary<string, DomainEntries> byDomain = new(StringComparer.Ordinal);

    public SemanticIdTable(IEnumerable<DomainSemanticIds> domainIds)
    {
        foreach (var d in domainIds)
        {
            if (byDomain.ContainsKey(d.Domain)) throw new GenCdrException($"semantic IDs: domain '{d.Domain}' given twice");
            if (d.ItemIds.Count != d.Codes.Length)
                throw new GenCdrException($"semantic IDs: domain '{d.Domain}' has {d.ItemIds.Count} item ids but {d.Codes.Length} code tuples");
            domains.Add(d.Domain);
            byDomain[d.Domain] = new DomainEntries();
            for (int i = 0; i < d.Codes.Length; i++) Add(d.Domain, d.ItemIds[i], d.Codes[i]);
        }
        if (CodeLength == 0) CodeLength = byDomain.Values.SelectMany(e => e.Codes).FirstOrDefault()?.Length ?? 0;
    }

    public IReadOnlyList<string> Domains => domains;

    /// <summary>Length of every code tuple (M + 1 with the disambiguation level); 0 for an empty table.</summary>
    public int CodeLength { get; private set; }

    public int ItemCount(string domain) => Entries(domain).Codes.Count;

    public IReadOnlyList<int> Codes(string domain, int item) => Entries(domain).Codes[item];

    public string ItemId(string domain, int item) => Entries(domain).ItemIds[item];

    public bool Contains(string domain, ReadOnlySpan<int> codes) => TryGetItem(domain, codes, out _);

    /// <summary>The item of <paramref name="domain"/> whose semantic ID is <paramref name="codes"/>, if any.</summary>
    public bool TryGetItem(string domain, ReadOnlySpan<int> codes, out int item)
    {
        item = -1;
        if (codes.Length != CodeLength || !TryPack(codes, out var key)) return false;
        return Entries(domain).ItemByKey.TryGetValue(key, out item);
    }

    /// <summary>Appends an item to a domain (creating the domain if new) and returns its index.</summary>
    public int Add(string domain, string itemId, int[] codes)
    {
        if (CodeLength == 0) CodeLength = codes.Length;
        if (codes.Length != CodeLength)
            throw new GenCdrException($"semantic IDs: domain '{domain}' item '{itemId}' has {codes.Length} codes, expected {CodeLength}");
        if (!TryPack(codes, out var key))
            throw new GenCdrException($"semantic IDs: domain '{domain}' item '{itemId}': codes must be in [0, {MaxCodeValue}] and at most {MaxCodeLength} long");
        if (!byDomain.TryGetValue(domain, out var entries))
        {
            domains.Add(domain);
            byDomain[domain] = entries = new DomainEntries();
        }
        if (entries.ItemByKey.TryGetValue(key, out int other))
            throw new GenCdrException($"semantic IDs: domain '{domain}': items '{entries.ItemIds[other]}' and '{itemId}' have the same codes ({string.Join(", ", codes)})");
        int index = entries.Codes.Count;
        entries.ItemByKey[key] = index;
        entries.Codes.Add(codes.ToArray());
        entries.ItemIds.Add(itemId);
        return index;
    }

    /// <summary>Writes a TSV (domain, item_index, item_id, c1 … cM, disambiguation) via a temp file and a move.</summary>
    public void Save(string path)
    {
        var text = new StringBuilder();
        text.Append("domain\titem_index\titem_id");
        for (int m = 1; m < CodeLength; m++) text.Append("\tc").Append(m);
        text.Append("\tdisambiguation\n");
        foreach (var domain in domains)
        {
            var entries = byDomain[domain];
            for (int i = 0; i < entries.Codes.Count; i++)
            {
                string id = entries.ItemIds[i];
                if (domain.IndexOfAny(['\t', '\n', '\r']) >= 0 || id.IndexOfAny(['\t', '\n', '\r']) >= 0)
                    throw new GenCdrException($"{path}: domain '{domain}' item '{id}': names with tabs or line breaks cannot be written to a TSV");
                text.Append(domain).Append('\t').Append(i.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(id);
                foreach (int c in entries.Codes[i]) text.Append('\t').Append(c.ToString(CultureInfo.InvariantCulture));
                text.Append('\n');
            }
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Reads a table written by <see cref="Save"/>; rows of a domain must be in item-index order.</summary>
    public static SemanticIdTable Load(string path)
    {
        if (!File.Exists(path)) throw new GenCdrException($"{path}: semantic ID table not found");
        var table = new SemanticIdTable([]);
        int lineNumber = 0;
        int fieldCount = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split('\t');
            if (lineNumber == 1)
            {
                if (fields.Length < 5 || fields[0] != "domain" || fields[1] != "item_index" || fields[2] != "item_id" || fields[^1] != "disambiguation")
                    throw GenCdrException.AtLine(path, lineNumber, "expected the header 'domain, item_index, item_id, c1 … cM, disambiguation'");
                fieldCount = fields.Length;
                table.CodeLength = fieldCount - 3;
                continue;
            }
            if (line.Length == 0) continue;
            if (fields.Length != fieldCount)
                throw GenCdrException.AtLine(path, lineNumber, $"expected {fieldCount} tab-separated fields, found {fields.Length}");
            string domain = fields[0];
            int expectedIndex = table.byDomain.TryGetValue(domain, out var entries) ? entries.Codes.Count : 0;
            if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index != expectedIndex)
                throw GenCdrException.AtLine(path, lineNumber, $"item_index '{fields[1]}' should be {expectedIndex} (rows of a domain are in index order)");
            var codes = new int[fieldCount - 3];
            for (int m = 0; m < codes.Length; m++)
            {
                if (!int.TryParse(fields[3 + m], NumberStyles.None, CultureInfo.InvariantCulture, out codes[m]) || codes[m] > MaxCodeValue)
                    throw GenCdrException.AtLine(path, lineNumber, $"code '{fields[3 + m]}' is not an integer in [0, {MaxCodeValue}]");
            }
            try { table.Add(domain, fields[2], codes); }
            catch (GenCdrException e) { throw GenCdrException.AtLine(path, lineNumber, e.Message); }
        }
        if (lineNumber == 0) throw GenCdrException.AtLine(path, 1, "empty file (expected a header)");
        return table;
    }

    private DomainEntries Entries(string domain) =>
        byDomain.TryGetValue(domain, out var entries) ? entries : throw new GenCdrException($"semantic IDs: unknown domain '{domain}'");

    private static bool TryPack(ReadOnlySpan<int> codes, out UInt128 key)
    {
        key = 0;
        if (codes.Length > MaxCodeLength) return false;
        foreach (int c in codes)
        {
            if (c < 0 || c > MaxCodeValue) return false;
            key = (key << 16) | (uint)c;
        }
        return true;
    }

    private sealed class DomainEntries
    {
        public readonly List<int[]> Codes = new();
        public readonly List<string> ItemIds = new();
        public readonly Dictionary<UInt128, int> ItemByKey = new();
    }
}
