using System.Text.Json;

namespace GenCdr.Data;

/// <summary>
/// The data sets the project knows by name, plus user-defined ones from JSON spec files.
/// A name resolves to (1) a known data set ("sports-clothing"), (2) a '+'-joined list of known domains
/// ("Sports+Beauty"), or (3) a path to a JSON file holding either a list of <see cref="DomainSpec"/> or a
/// <see cref="DataSetSpec"/> object ({"name": ..., "domains": [...]}).
/// </summary>
public sealed class DataCatalog
{
    public IReadOnlyDictionary<string, DomainSpec> Domains { get; }
    /// <summary>Data set name -> the names of its domains, in order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> DataSets { get; }

    public DataCatalog(IEnumerable<DomainSpec> domains, IReadOnlyDictionary<string, IReadOnlyList<string>> dataSets)
    {
        Domains = domains.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var (set, names) in dataSets)
            foreach (var n in names)
                if (!Domains.ContainsKey(n)) throw new ArgumentException($"data set '{set}' names unknown domain '{n}'");
        DataSets = new Dictionary<string, IReadOnlyList<string>>(dataSets, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The Amazon 2014 5-core domains as laid out under /work/shared/data (see its INDEX.md):
    /// interactions from derived/joined_interactions.tsv; Clothing and Beauty titles from derived/joined_items.tsv;
    /// Sports has no titles, only IDGenRec's generated phrases.</summary>
    public static DataCatalog Builtin { get; } = new(
        [
            new DomainSpec
            {
                Name = "Sports",
                InteractionsPath = "amazon2014-sports/derived/joined_interactions.tsv",
                ItemTextPath = "amazon2014-sports/item_generative_indexing_phase_0.txt",
                Format = DataFormat.SharedJoinedTsv,
                ItemTextFormat = DataFormat.IdGenRecPhrases,
            },
            new DomainSpec
            {
                Name = "Clothing",
                InteractionsPath = "amazon2014-clothing/derived/joined_interactions.tsv",
                ItemTextPath = "amazon2014-clothing/derived/joined_items.tsv",
                Format = DataFormat.SharedJoinedTsv,
            },
            new DomainSpec
            {
                Name = "Beauty",
                InteractionsPath = "amazon2014-beauty/derived/joined_interactions.tsv",
                ItemTextPath = "amazon2014-beauty/derived/joined_items.tsv",
                Format = DataFormat.SharedJoinedTsv,
            },
        ],
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["amazon2014-sports"] = ["Sports"],
            ["amazon2014-clothing"] = ["Clothing"],
            ["amazon2014-beauty"] = ["Beauty"],
            ["sports-clothing"] = ["Sports", "Clothing"],
            ["clothing-beauty"] = ["Clothing", "Beauty"],
        });

    /// <summary>Resolves a data set name, a '+'-joined domain list, or a .json spec file.</summary>
    public DataSetSpec Resolve(string nameOrFile)
    {
        if (DataSets.TryGetValue(nameOrFile, out var names))
            return new DataSetSpec { Name = nameOrFile.ToLowerInvariant(), Domains = names.Select(n => Domains[n]).ToList() };
        if (nameOrFile.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(nameOrFile))
            return LoadSpecFile(nameOrFile);
        if (nameOrFile.Contains('+'))
        {
            var parts = nameOrFile.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var specs = parts.Select(Domain).ToList();
            return new DataSetSpec { Name = string.Join('-', specs.Select(s => s.Name.ToLowerInvariant())), Domains = specs };
        }
        throw new GenCdrException(
            $"unknown data set '{nameOrFile}' (known: {string.Join(", ", DataSets.Keys.Order())}; " +
            $"or domains joined by '+' from: {string.Join(", ", Domains.Keys.Order())}; or a .json spec file)");
    }

    /// <summary>One known domain by name (case-insensitive).</summary>
    public DomainSpec Domain(string name) =>
        Domains.TryGetValue(name, out var spec) ? spec
            : throw new GenCdrException($"unknown domain '{name}' (known: {string.Join(", ", Domains.Keys.Order())})");

    /// <summary>Reads the named data set's files under <paramref name="dataRoot"/>.</summary>
    public RawDataset Load(string nameOrFile, string dataRoot)
    {
        var set = Resolve(nameOrFile);
        return DataLoader.Load(set.Domains, dataRoot, set.Name);
    }

    static readonly JsonSerializerOptions SpecJson = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads a JSON spec file: a list of <see cref="DomainSpec"/> (the data set is named after the
    /// file) or a <see cref="DataSetSpec"/> object.</summary>
    public static DataSetSpec LoadSpecFile(string path)
    {
        if (!File.Exists(path)) throw new GenCdrException($"{path}: data set spec file not found");
        string json = File.ReadAllText(path);
        if (json.Trim().Length == 0) throw new GenCdrException($"{path}: file is empty");
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            DataSetSpec? set = doc.RootElement.ValueKind == JsonValueKind.Array
                ? new DataSetSpec
                {
                    Name = Path.GetFileNameWithoutExtension(path),
                    Domains = StrictJson.Deserialize<List<DomainSpec>>(json, path, SpecJson),
                }
                : StrictJson.Deserialize<DataSetSpec>(json, path, SpecJson);
            if (set is null || set.Domains.Count == 0) throw new GenCdrException($"{path}: the spec lists no domains");
            return set;
        }
        catch (JsonException e)
        {
            throw GenCdrException.AtLine(path, (e.LineNumber ?? 0) + 1, $"invalid data set spec ({e.Message})");
        }
    }

    /// <summary>Writes a spec file that <see cref="LoadSpecFile"/> reads back (a starting point for users).</summary>
    public static void SaveSpecFile(DataSetSpec set, string path)
    {
        var options = new JsonSerializerOptions(SpecJson) { WriteIndented = true };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(set, options));
    }
}
