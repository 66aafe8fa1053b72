using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenCdr.Data;

/// <summary>
/// Reads Amazon item metadata, one item per line. The 2014 release (<c>meta_&lt;Category&gt;.json(.gz)</c>)
/// writes each line as a Python dict literal, parsed with <see cref="PythonLiteralParser"/>; the 2018 release
/// writes strict JSON. Taken: title, brand, categories (2014: 'categories', a list of category paths;
/// 2018: 'category', a flat list) and description (a string, or in 2018 often a list of strings).
/// </summary>
public static class AmazonMetaReader
{
    public static IEnumerable<(string ItemId, ItemText Text)> Read(string path, AmazonRelease release)
    {
        foreach (var (number, line) in LineSource.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonNode? node;
            try
            {
                node = release == AmazonRelease.Amazon2014 ? PythonLiteralParser.Parse(line) : JsonNode.Parse(line);
            }
            catch (PythonLiteralException e)
            {
                throw GenCdrException.AtLine(path, number, $"malformed Python dict literal at {e.Message}");
            }
            catch (JsonException e)
            {
                throw GenCdrException.AtLine(path, number, $"malformed JSON ({e.Message})");
            }
            if (node is not JsonObject obj) throw GenCdrException.AtLine(path, number, "expected a dict/object per line");
            if (obj["asin"] is not JsonValue asinNode || asinNode.GetValueKind() != JsonValueKind.String
                || string.IsNullOrWhiteSpace(asinNode.GetValue<string>()))
                throw GenCdrException.AtLine(path, number, "missing or empty field 'asin'");
            var categories = ItemTextFields.Categories(obj["categories"] ?? obj["category"]);
            var text = new ItemText(
                ItemTextFields.Text(obj["title"]),
                ItemTextFields.Text(obj["brand"]),
                categories,
                ItemTextFields.Text(obj["description"]));
            yield return (asinNode.GetValue<string>().Trim(), text);
        }
    }
}

/// <summary>Which release of the Amazon review data a file belongs to (they differ in the metadata syntax).</summary>
public enum AmazonRelease { Amazon2014, Amazon2018 }
