namespace GenCdr.Data;

/// <summary>
/// Reads item text from a TSV (or, for *.csv, CSV) file with columns item, title and optionally brand,
/// categories ("a | b" or "a|b") and description. A header row is optional: the first line is a header when
/// its first field is one of <see cref="HeaderNames"/>. HTML entities are decoded.
/// </summary>
public static class ItemTextTableReader
{
    /// <summary>First-column names that mark a header row.</summary>
    public static readonly IReadOnlySet<string> HeaderNames =
        new HashSet<string>(["item", "item_id", "itemid", "asin", "parent_asin", "id"], StringComparer.OrdinalIgnoreCase);

    /// <param name="requiredHeader">If given, the first line must be exactly this header.</param>
    public static IEnumerable<(string ItemId, ItemText Text)> Read(string path, IReadOnlyList<string>? requiredHeader = null)
    {
        foreach (var (number, fields) in DelimitedRows.Read(path, requiredHeader))
        {
            if (number == 1 && requiredHeader is null && HeaderNames.Contains(fields[0].Trim())) continue;
            if (fields.Length is < 2 or > 5)
                throw GenCdrException.AtLine(path, number,
                    $"expected 2 to 5 fields (item, title[, brand, categories, description]), found {fields.Length}");
            string id = fields[0].Trim();
            if (id.Length == 0) throw GenCdrException.AtLine(path, number, "empty item id");
            var text = new ItemText(
                ItemTextFields.Clean(fields[1]),
                fields.Length > 2 ? ItemTextFields.Clean(fields[2]) : "",
                fields.Length > 3 ? ItemTextFields.SplitCategories(fields[3]) : Array.Empty<string>(),
                fields.Length > 4 ? ItemTextFields.Clean(fields[4]) : "");
            yield return (id, text);
        }
    }
}
