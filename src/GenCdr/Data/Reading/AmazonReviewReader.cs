using System.Text.Json;

namespace GenCdr.Data;

/// <summary>
/// Reads Amazon review files, one JSON object per line (<c>reviews_&lt;Category&gt;_5.json(.gz)</c> of the 2014
/// release, <c>&lt;Category&gt;_5.json(.gz)</c> of the 2018 release; both strict JSON). Only the fields the
/// recommender needs are taken: reviewerID (user), asin (item), unixReviewTime (seconds).
/// </summary>
public static class AmazonReviewReader
{
    public static IEnumerable<Interaction> Read(string path)
    {
        foreach (var (number, line) in LineSource.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw GenCdrException.AtLine(path, number, $"malformed JSON ({e.Message})");
            }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw GenCdrException.AtLine(path, number, "expected a JSON object");
                string user = RequiredString(root, "reviewerID", path, number);
                string item = RequiredString(root, "asin", path, number);
                if (!root.TryGetProperty("unixReviewTime", out var time) || time.ValueKind != JsonValueKind.Number
                    || !time.TryGetInt64(out long timestamp))
                    throw GenCdrException.AtLine(path, number, "missing or non-integer field 'unixReviewTime'");
                yield return new Interaction(user, item, timestamp);
            }
        }
    }

    static string RequiredString(JsonElement root, string field, string path, long number)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(value.GetString()))
            throw GenCdrException.AtLine(path, number, $"missing or empty string field '{field}'");
        return value.GetString()!.Trim();
    }
}
