namespace GenCdr.Data;

/// <summary>
/// The rows of a TSV (or, for *.csv, CSV) file, split into fields, as the delimited readers see them: blank
/// lines are skipped, and when a <c>requiredHeader</c> is given the first line must be exactly that header
/// (field by field, ignoring surrounding spaces) and is not returned. Recognising an optional header row, and
/// what the fields mean, is left to each reader.
/// </summary>
public static class DelimitedRows
{
    /// <param name="path">The file (may end in .gz).</param>
    /// <param name="requiredHeader">If given, the first line must be exactly this header, which guards against
    /// pointing at the wrong file.</param>
    public static IEnumerable<(long Number, string[] Fields)> Read(string path, IReadOnlyList<string>? requiredHeader = null)
    {
        char separator = DelimitedFields.SeparatorFor(path);
        foreach (var (number, line) in LineSource.Read(path))
        {
            if (number == 1 && requiredHeader is not null)
            {
                var header = DelimitedFields.Split(line, separator, path, number);
                if (!header.Select(h => h.Trim()).SequenceEqual(requiredHeader))
                    throw GenCdrException.AtLine(path, number,
                        $"expected the header '{string.Join(separator == '\t' ? "\\t" : ",", requiredHeader)}'");
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return (number, DelimitedFields.Split(line, separator, path, number));
        }
    }
}
