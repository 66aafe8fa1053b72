using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GenCdr;

/// <summary>
/// Reads a configuration or a data-set spec so that nothing in it is silently ignored (issue #13): a field the type does
/// not have is an error naming the field, its section and the closest known name ({"Recommender": {"BackboneEpoch": 4}}
/// must not train the default epochs without a word), and a value of the wrong type is reported with the whole
/// serializer message, its field path and line.
/// </summary>
public static class StrictJson
{
    /// <summary>Deserializes <paramref name="json"/> (read from <paramref name="file"/>) as <typeparamref name="T"/>,
    /// throwing a one-line <see cref="GenCdrException"/> at the offending line.</summary>
    public static T Deserialize<T>(string json, string file, JsonSerializerOptions options)
    {
        var strict = new JsonSerializerOptions(options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        try
        {
            return JsonSerializer.Deserialize<T>(json, strict) ?? throw new GenCdrException($"{file}: the file holds no value");
        }
        catch (JsonException e)
        {
            throw GenCdrException.AtLine(file, (e.LineNumber ?? 0) + 1, Explain(typeof(T), e, options.PropertyNameCaseInsensitive));
        }
    }

    /// <summary>The problem of <paramref name="e"/> in words: an unknown field with its section and closest known name,
    /// or the serializer's own message with the field's path.</summary>
    static string Explain(Type root, JsonException e, bool ignoreCase)
    {
        var segments = Segments(e.Path);
        var type = root;
        for (int i = 0; i < segments.Count; i++)
        {
            if (segments[i].StartsWith('[')) { type = ElementType(type) ?? type; continue; }
            var property = Property(type, segments[i], ignoreCase);
            if (property is null)
            {
                var section = string.Join(".", segments.Take(i).Where(s => !s.StartsWith('[')));
                var known = Properties(type).Select(p => p.Name).ToList();
                var closest = Closest(known, segments[i]);
                return $"unknown field '{segments[i]}' in {(section.Length == 0 ? "the top level" : $"section '{section}'")}" +
                       (closest is null ? "" : $" (did you mean '{closest}'?)");
            }
            type = property.PropertyType;
        }
        var field = string.Join(".", segments);
        return $"{(field.Length == 0 ? "" : $"field '{field}': ")}{e.Message}";
    }

    /// <summary>"$.Recommender.Epochs" / "$['Recommender'].Epochs" / "$.Domains[0].Name" → its names and indices.</summary>
    static List<string> Segments(string? path)
    {
        var result = new List<string>();
        if (string.IsNullOrEmpty(path)) return result;
        int i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                result.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                if (end < 0) break;
                var inner = path[(i + 1)..end];
                result.Add(inner.StartsWith('\'') ? inner.Trim('\'') : "[" + inner + "]");
                i = end + 1;
            }
            else i++;
        }
        return result;
    }

    static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null);

    static PropertyInfo? Property(Type type, string name, bool ignoreCase) =>
        Properties(type).FirstOrDefault(p => string.Equals(p.Name, name, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));

    static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>The known name the user most likely meant: one that contains what was typed (or is contained in it),
    /// the nearest in length first; otherwise the nearest by edit distance.</summary>
    static string? Closest(IReadOnlyList<string> known, string typed)
    {
        var containing = known.Where(k => k.Contains(typed, StringComparison.OrdinalIgnoreCase) || typed.Contains(k, StringComparison.OrdinalIgnoreCase))
            .OrderBy(k => Math.Abs(k.Length - typed.Length)).FirstOrDefault();
        return containing ?? known.OrderBy(k => Distance(k, typed)).FirstOrDefault();
    }

    /// <summary>Levenshtein distance, ignoring case (for "did you mean").</summary>
    static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant(); b = b.ToLowerInvariant();
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }
}
