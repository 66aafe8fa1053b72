using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenCdr.Data;

/// <summary>
/// Turns the loosely typed text fields of the source files into clean strings: HTML entities decoded
/// (Amazon titles keep "&amp;amp;", "&amp;quot;", "&amp;reg;"), whitespace collapsed, nested category lists
/// flattened with duplicates removed in first-seen order.
/// </summary>
public static class ItemTextFields
{
    /// <summary>Decodes HTML entities and collapses runs of whitespace (including newlines) to one space.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        string decoded = text.Contains('&') ? WebUtility.HtmlDecode(text) : text;
        return string.Join(' ', decoded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A string field, or a list of strings joined by spaces (Amazon 2018 descriptions are lists).</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray array => Clean(string.Join(' ', Flatten(array))),
        JsonValue value => Clean(Scalar(value)),
        _ => "",
    };

    /// <summary>All strings of a (possibly nested) list, flattened, cleaned, empty ones and duplicates
    /// dropped, first-seen order kept: [['Sports', 'Fitness'], ['Sports', 'Running']] -> Sports, Fitness, Running.</summary>
    public static IReadOnlyList<string> Categories(JsonNode? node)
    {
        if (node is null) return Array.Empty<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        IEnumerable<string> raw = node is JsonArray array ? Flatten(array) : [Scalar(node.AsValue())];
        foreach (var s in raw)
        {
            string c = Clean(s);
            if (c.Length > 0 && seen.Add(c)) result.Add(c);
        }
        return result;
    }

    /// <summary>Splits a "a | b | c" or "a|b|c" cell into categories (cleaned, deduplicated).</summary>
    public static IReadOnlyList<string> SplitCategories(string cell)
    {
        var array = new JsonArray();
        foreach (var part in cell.Split('|')) array.Add(part);
        return Categories(array);
    }

    static IEnumerable<string> Flatten(JsonArray array)
    {
        foreach (var element in array)
        {
            if (element is JsonArray inner)
                foreach (var s in Flatten(inner)) yield return s;
            else if (element is JsonValue v)
                yield return Scalar(v);
        }
    }

    static string Scalar(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
}
