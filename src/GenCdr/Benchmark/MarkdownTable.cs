using System.Text;

namespace GenCdr.Benchmark;

/// <summary>A GitHub-flavoured markdown table: the first column left-aligned (names), the others
/// right-aligned (numbers). Pipes in cells are escaped.</summary>
public sealed class MarkdownTable(params IReadOnlyList<string> headers)
{
    readonly List<string[]> _rows = [];

    public IReadOnlyList<string> Headers { get; } = headers;
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    public MarkdownTable AddRow(params IReadOnlyList<string> cells)
    {
        if (cells.Count != Headers.Count)
            throw new ArgumentException($"a row of {cells.Count} cells in a table of {Headers.Count} columns");
        _rows.Add(cells.ToArray());
        return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        Line(text, Headers);
        Line(text, Headers.Select((_, i) => i == 0 ? "---" : "---:").ToList());
        foreach (var row in _rows) Line(text, row);
        return text.ToString();
    }

    static void Line(StringBuilder text, IReadOnlyList<string> cells) =>
        text.Append("| ").AppendJoin(" | ", cells.Select(c => c.Replace("|", "\\|"))).Append(" |\n");
}
