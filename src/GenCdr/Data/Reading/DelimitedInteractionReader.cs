using System.Globalization;

namespace GenCdr.Data;

/// <summary>
/// Reads interactions from a TSV (or, for *.csv, CSV) file with columns user, item, timestamp and an optional
/// fourth column domain. A header row is optional: the first line is taken as a header when its third field
/// is not an integer. Timestamps are integers (any unit; only their order matters).
/// </summary>
public static class DelimitedInteractionReader
{
    /// <param name="path">The file (may end in .gz).</param>
    /// <param name="keepDomain">When the file has a domain column, only rows whose domain equals this
    /// (case-insensitive) are returned, so one file can feed several domains; null keeps every row.</param>
    /// <param name="requiredHeader">If given, the first line must be exactly this header (e.g. the shared
    /// joined files' "reviewerID, asin, unixReviewTime"), which guards against pointing at the wrong file.</param>
    public static IEnumerable<Interaction> Read(string path, string? keepDomain = null, IReadOnlyList<string>? requiredHeader = null)
    {
        foreach (var (number, fields) in DelimitedRows.Read(path, requiredHeader))
        {
            if (fields.Length is < 3 or > 4)
                throw GenCdrException.AtLine(path, number, $"expected 3 or 4 fields (user, item, timestamp[, domain]), found {fields.Length}");
            string timeField = fields[2].Trim();
            if (!long.TryParse(timeField, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long timestamp))
            {
                if (number == 1 && requiredHeader is null) continue; // a header row
                throw GenCdrException.AtLine(path, number, $"timestamp '{timeField}' is not an integer");
            }
            string user = fields[0].Trim(), item = fields[1].Trim();
            if (user.Length == 0 || item.Length == 0) throw GenCdrException.AtLine(path, number, "empty user or item id");
            if (fields.Length == 4 && keepDomain is not null
                && !string.Equals(fields[3].Trim(), keepDomain, StringComparison.OrdinalIgnoreCase))
                continue;
            yield return new Interaction(user, item, timestamp);
        }
    }
}
