using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GenCdr.Data;

/// <summary>
/// Saves a <see cref="PreparedDataset"/> as a folder of plain files and loads it back:
/// <list type="bullet">
/// <item><c>manifest.json</c>: format version, name, domains with counts, user/event counts, creation time and
/// preparation options;</item>
/// <item><c>items.tsv</c>: domain, index, id, title, brand, categories (" | "), description — text escaped
/// (<see cref="TsvEscaping"/>);</item>
/// <item><c>users.tsv</c>: index, raw user id;</item>
/// <item><c>events.tsv</c>: user index, domain index, item index, timestamp — each user's history in order,
/// users in index order.</item>
/// </list>
/// Saving writes every file to a temp file in the folder and moves them into place only after all were
/// written (manifest last), so a failed save leaves an existing folder as it was. Loading checks the version,
/// every line, and the counts against the manifest, and reports problems as file:line.
/// </summary>
public static class PreparedDatasetStore
{
    public const int FormatVersion = 1;
    public const string ManifestFile = "manifest.json";
    public const string ItemsFile = "items.tsv";
    public const string UsersFile = "users.tsv";
    public const string EventsFile = "events.tsv";
    /// <summary>Optional: each user's group (<see cref="PreparedDataset.UserGroups"/>), when the data set has them.</summary>
    public const string UserGroupsFile = "user-groups.tsv";

    const string ItemsHeader = "domain\tindex\tid\ttitle\tbrand\tcategories\tdescription";
    const string UsersHeader = "index\tid";
    const string UserGroupsHeader = "index\tgroup";
    const string EventsHeader = "user\tdomain\titem\ttimestamp";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void Save(PreparedDataset data, string dir, PreparationOptions? options = null)
    {
        Directory.CreateDirectory(dir);
        var interactions = new int[data.DomainCount];
        foreach (var h in data.Histories)
            foreach (var e in h) interactions[e.Domain]++;
        var manifest = new StoreManifest
        {
            FormatVersion = FormatVersion,
            Name = data.Name,
            Domains = Enumerable.Range(0, data.DomainCount)
                .Select(d => new StoredDomain(data.DomainNames[d], data.Items[d].Count, interactions[d])).ToList(),
            Users = data.UserCount,
            Events = interactions.Sum(),
            CreatedUtc = DateTime.UtcNow,
            Preparation = options,
        };
        var writers = new List<(string File, Action<TextWriter> Write)>
        {
            (ItemsFile, w => WriteItems(data, w)),
            (UsersFile, w => WriteUsers(data, w)),
            (EventsFile, w => WriteEvents(data, w)),
        };
        if (data.UserGroups is { } groups) writers.Add((UserGroupsFile, w => WriteUserGroups(groups, w)));
        writers.Add((ManifestFile, w => w.Write(JsonSerializer.Serialize(manifest, Json))));
        var temps = new List<(string Temp, string Final)>();
        try
        {
            foreach (var (file, write) in writers)
            {
                string final = Path.Combine(dir, file);
                string temp = AtomicFile.TempPathFor(final);
                temps.Add((temp, final));
                using var writer = new StreamWriter(temp, append: false, Utf8, 1 << 16);
                write(writer);
            }
            foreach (var (temp, final) in temps) File.Move(temp, final, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenCdrException($"{dir}: cannot save the prepared data set ({e.Message})", e);
        }
        finally
        {
            foreach (var (temp, _) in temps)
                if (File.Exists(temp)) File.Delete(temp);
        }
    }

    static void WriteItems(PreparedDataset data, TextWriter w)
    {
        w.WriteLine(ItemsHeader);
        for (int d = 0; d < data.DomainCount; d++)
        {
            string domain = TsvEscaping.Escape(data.DomainNames[d]);
            var items = data.Items[d];
            for (int i = 0; i < items.Count; i++)
            {
                var t = items[i].Text;
                w.Write(domain); w.Write('\t');
                w.Write(i.ToString(CultureInfo.InvariantCulture)); w.Write('\t');
                w.Write(TsvEscaping.Escape(items[i].Id)); w.Write('\t');
                w.Write(TsvEscaping.Escape(t.Title)); w.Write('\t');
                w.Write(TsvEscaping.Escape(t.Brand)); w.Write('\t');
                w.Write(TsvEscaping.EscapeCategories(t.Categories)); w.Write('\t');
                w.Write(TsvEscaping.Escape(t.Description)); w.Write('\n');
            }
        }
    }

    static void WriteUserGroups(IReadOnlyList<string> groups, TextWriter w)
    {
        w.WriteLine(UserGroupsHeader);
        for (int u = 0; u < groups.Count; u++)
        {
            w.Write(u.ToString(CultureInfo.InvariantCulture)); w.Write('\t');
            w.Write(TsvEscaping.Escape(groups[u])); w.Write('\n');
        }
    }

    static void WriteUsers(PreparedDataset data, TextWriter w)
    {
        w.WriteLine(UsersHeader);
        for (int u = 0; u < data.UserCount; u++)
        {
            w.Write(u.ToString(CultureInfo.InvariantCulture)); w.Write('\t');
            w.Write(TsvEscaping.Escape(data.UserIds[u])); w.Write('\n');
        }
    }

    static void WriteEvents(PreparedDataset data, TextWriter w)
    {
        w.WriteLine(EventsHeader);
        for (int u = 0; u < data.UserCount; u++)
        {
            string user = u.ToString(CultureInfo.InvariantCulture);
            foreach (var e in data.Histories[u])
            {
                w.Write(user); w.Write('\t');
                w.Write(e.Domain.ToString(CultureInfo.InvariantCulture)); w.Write('\t');
                w.Write(e.Item.ToString(CultureInfo.InvariantCulture)); w.Write('\t');
                w.Write(e.Timestamp.ToString(CultureInfo.InvariantCulture)); w.Write('\n');
            }
        }
    }

    /// <summary>Reads and checks only the manifest (version included).</summary>
    public static StoreManifest ReadManifest(string dir)
    {
        string path = Path.Combine(dir, ManifestFile);
        if (!File.Exists(path)) throw new GenCdrException($"{path}: not found (is '{dir}' a prepared data set folder?)");
        StoreManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<StoreManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw GenCdrException.AtLine(path, (e.LineNumber ?? 0) + 1, $"malformed manifest ({e.Message})");
        }
        if (manifest is null) throw GenCdrException.AtLine(path, 1, "empty manifest");
        if (manifest.FormatVersion != FormatVersion)
            throw GenCdrException.AtLine(path, 1, $"format version {manifest.FormatVersion}, but this program reads version {FormatVersion}");
        if (manifest.Domains.Count == 0) throw GenCdrException.AtLine(path, 1, "the manifest lists no domains");
        return manifest;
    }

    public static PreparedDataset Load(string dir)
    {
        var manifest = ReadManifest(dir);
        var domainNames = manifest.Domains.Select(d => d.Name).ToList();
        var items = ReadItems(Path.Combine(dir, ItemsFile), manifest);
        var userIds = ReadUsers(Path.Combine(dir, UsersFile), manifest);
        var histories = ReadEvents(Path.Combine(dir, EventsFile), manifest, items);
        string groups = Path.Combine(dir, UserGroupsFile);
        return new PreparedDataset(manifest.Name, domainNames, items, userIds, histories)
        {
            UserGroups = File.Exists(groups) ? ReadIndexed(groups, UserGroupsHeader, manifest.Users, "group") : null,
        };
    }

    static IEnumerable<(long Number, string Text)> DataLines(string path, string header)
    {
        foreach (var (number, line) in LineSource.Read(path))
        {
            if (number == 1)
            {
                if (line != header) throw GenCdrException.AtLine(path, 1, $"expected the header '{header.Replace("\t", "\\t")}'");
                continue;
            }
            yield return (number, line);
        }
    }

    static IReadOnlyList<IReadOnlyList<Item>> ReadItems(string path, StoreManifest manifest)
    {
        var domainIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int d = 0; d < manifest.Domains.Count; d++) domainIndex[manifest.Domains[d].Name] = d;
        var items = manifest.Domains.Select(d => new List<Item>(d.Items)).ToArray();
        long last = 1;
        foreach (var (number, line) in DataLines(path, ItemsHeader))
        {
            last = number;
            var f = line.Split('\t');
            if (f.Length != 7) throw GenCdrException.AtLine(path, number, $"expected 7 tab-separated fields, found {f.Length}");
            try
            {
                string domain = TsvEscaping.Unescape(f[0]);
                if (!domainIndex.TryGetValue(domain, out int d))
                    throw GenCdrException.AtLine(path, number, $"domain '{domain}' is not in the manifest");
                if (!int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index != items[d].Count)
                    throw GenCdrException.AtLine(path, number, $"item index '{f[1]}' out of order (expected {items[d].Count})");
                var text = new ItemText(TsvEscaping.Unescape(f[3]), TsvEscaping.Unescape(f[4]),
                    TsvEscaping.UnescapeCategories(f[5]), TsvEscaping.Unescape(f[6]));
                items[d].Add(new Item(TsvEscaping.Unescape(f[2]), domain, text.IsEmpty ? ItemText.Empty : text));
            }
            catch (FormatException e)
            {
                throw GenCdrException.AtLine(path, number, e.Message);
            }
        }
        for (int d = 0; d < items.Length; d++)
            if (items[d].Count != manifest.Domains[d].Items)
                throw GenCdrException.AtLine(path, last,
                    $"domain '{manifest.Domains[d].Name}' has {items[d].Count} items, the manifest says {manifest.Domains[d].Items}");
        return items;
    }

    static List<string> ReadUsers(string path, StoreManifest manifest) => ReadIndexed(path, UsersHeader, manifest.Users, "user id");

    /// <summary>A file of "index TAB value" rows numbered 0, 1, … with <paramref name="count"/> rows (the manifest's).</summary>
    static List<string> ReadIndexed(string path, string header, int count, string what)
    {
        var values = new List<string>(count);
        long last = 1;
        foreach (var (number, line) in DataLines(path, header))
        {
            last = number;
            int tab = line.IndexOf('\t');
            if (tab < 0 || !int.TryParse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                || index != values.Count)
                throw GenCdrException.AtLine(path, number, $"expected '{values.Count}<tab>{what}'");
            try
            {
                values.Add(TsvEscaping.Unescape(line[(tab + 1)..]));
            }
            catch (FormatException e)
            {
                throw GenCdrException.AtLine(path, number, e.Message);
            }
        }
        if (values.Count != count)
            throw GenCdrException.AtLine(path, last, $"{values.Count} users, the manifest says {count}");
        return values;
    }

    static List<Event[]> ReadEvents(string path, StoreManifest manifest, IReadOnlyList<IReadOnlyList<Item>> items)
    {
        var histories = new List<Event[]>(manifest.Users);
        var current = new List<Event>();
        int currentUser = 0;
        long count = 0, last = 1;
        Span<long> f = stackalloc long[4];
        foreach (var (number, line) in DataLines(path, EventsHeader))
        {
            last = number;
            if (!ParseFour(line, f)) throw GenCdrException.AtLine(path, number, "expected 4 tab-separated integers (user, domain, item, timestamp)");
            int user = (int)f[0], domain = (int)f[1], item = (int)f[2];
            if (f[0] < currentUser || f[0] >= manifest.Users)
                throw GenCdrException.AtLine(path, number, $"user {f[0]} out of order or out of range (users: {manifest.Users})");
            if (f[1] < 0 || f[1] >= items.Count) throw GenCdrException.AtLine(path, number, $"domain {f[1]} out of range");
            if (f[2] < 0 || f[2] >= items[domain].Count) throw GenCdrException.AtLine(path, number, $"item {f[2]} out of range for domain {domain}");
            while (currentUser < user)
            {
                histories.Add(current.ToArray());
                current.Clear();
                currentUser++;
            }
            current.Add(new Event(domain, item, f[3]));
            count++;
        }
        while (histories.Count < manifest.Users)
        {
            histories.Add(current.ToArray());
            current.Clear();
        }
        if (count != manifest.Events)
            throw GenCdrException.AtLine(path, last, $"{count} events, the manifest says {manifest.Events}");
        return histories;
    }

    /// <summary>Parses "a\tb\tc\td" as four integers without allocating.</summary>
    static bool ParseFour(string line, Span<long> values)
    {
        var rest = line.AsSpan();
        for (int k = 0; k < 4; k++)
        {
            int tab = rest.IndexOf('\t');
            var field = k < 3 ? (tab < 0 ? default : rest[..tab]) : rest;
            if (k < 3 && tab < 0) return false;
            if (!long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[k])) return false;
            if (k < 3) rest = rest[(tab + 1)..];
        }
        return true;
    }
}
