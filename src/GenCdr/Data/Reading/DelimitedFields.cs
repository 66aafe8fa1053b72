using System.Text;

namespace GenCdr.Data;

/// <summary>
/// Splits one line of a TSV or CSV file into fields. TSV: split on tabs, no quoting. CSV (RFC 4180 on a
/// single line): fields may be double-quoted, with "" inside quotes standing for one quote; a quoted field
/// may not span lines.
/// </summary>
public static class DelimitedFields
{
    /// <summary>The separator implied by the file name: ',' for .csv(.gz), otherwise tab.</summary>
    public static char SeparatorFor(string path)
    {
        string name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ',' : '\t';
    }

    public static string[] Split(string line, char separator, string path, long number)
    {
        if (separator == '\t' || !line.Contains('"')) return line.Split(separator);
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw GenCdrException.AtLine(path, number, "unterminated quoted field");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != separator)
                    throw GenCdrException.AtLine(path, number, $"unexpected text after a quoted field (column {i + 1})");
            }
            else
            {
                while (i < line.Length && line[i] != separator) field.Append(line[i++]);
            }
            fields.Add(field.ToString());
            if (i >= line.Length) return fields.ToArray();
            i++; // separator
        }
    }
}
