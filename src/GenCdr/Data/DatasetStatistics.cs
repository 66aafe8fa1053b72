using System.Globalization;
using Spectre.Console;

namespace GenCdr.Data;

/// <summary>One domain's row of the paper's Table 1 (plus items without text and evaluated users).</summary>
/// <param name="Users">Users with at least one event in the domain.</param>
/// <param name="Sparsity">1 − interactions / (users × items).</param>
/// <param name="AverageSequenceLength">Interactions per user of the domain.</param>
/// <param name="EvaluatedUsers">Users with at least <see cref="PreparedDataset.MinEventsToEvaluate"/> events
/// here, i.e. the number of test (and validation) targets of the domain.</param>
public sealed record DomainStatistics(
    string Name,
    int Users,
    int Items,
    int Interactions,
    double Sparsity,
    int ItemsWithoutText,
    double AverageSequenceLength,
    int EvaluatedUsers);

/// <summary>
/// The statistics of a prepared data set, per domain as in the paper's Table 1 (users, items, interactions,
/// sparsity), plus items without text, users shared by two or more domains, and average sequence lengths.
/// </summary>
/// <param name="OverlapUsers">Users with events in at least two domains.</param>
/// <param name="AverageSequenceLength">Mean length of the merged cross-domain histories.</param>
public sealed record DatasetStatistics(
    string Name,
    IReadOnlyList<DomainStatistics> Domains,
    int Users,
    int OverlapUsers,
    int Interactions,
    double AverageSequenceLength)
{
    public static DatasetStatistics Compute(PreparedDataset data)
    {
        int domains = data.DomainCount;
        var users = new int[domains];
        var interactions = new int[domains];
        int overlap = 0, total = 0;
        var seen = new bool[domains];
        for (int u = 0; u < data.UserCount; u++)
        {
            Array.Clear(seen);
            foreach (var e in data.Histories[u])
            {
                interactions[e.Domain]++;
                if (!seen[e.Domain]) { seen[e.Domain] = true; users[e.Domain]++; }
            }
            total += data.Histories[u].Length;
            if (seen.Count(s => s) >= 2) overlap++;
        }
        var evaluated = new int[domains];
        foreach (var h in data.Test) evaluated[h.Domain]++;
        var rows = Enumerable.Range(0, domains).Select(d =>
        {
            int items = data.Items[d].Count;
            double cells = (double)users[d] * items;
            return new DomainStatistics(
                data.DomainNames[d], users[d], items, interactions[d],
                cells == 0 ? 1.0 : 1.0 - interactions[d] / cells,
                data.Items[d].Count(i => i.Text.IsEmpty),
                users[d] == 0 ? 0 : (double)interactions[d] / users[d],
                evaluated[d]);
        }).ToList();
        return new DatasetStatistics(data.Name, rows, data.UserCount, overlap, total,
            data.UserCount == 0 ? 0 : (double)total / data.UserCount);
    }

    public static readonly IReadOnlyList<string> Header =
        ["Domain", "Users", "Items", "Interactions", "Sparsity", "Items w/o text", "Avg. seq. len", "Evaluated users"];

    /// <summary>The table as text rows: <see cref="Header"/>, one row per domain, then an "All" row (distinct
    /// users, summed items and interactions, mean merged sequence length). Overlap users are in <see cref="Summary"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> ToRows()
    {
        var rows = new List<IReadOnlyList<string>> { Header };
        foreach (var d in Domains)
            rows.Add([d.Name, N(d.Users), N(d.Items), N(d.Interactions), Percent(d.Sparsity), N(d.ItemsWithoutText),
                d.AverageSequenceLength.ToString("F2", CultureInfo.InvariantCulture), N(d.EvaluatedUsers)]);
        rows.Add(["All", N(Users), N(Domains.Sum(d => d.Items)), N(Interactions), "", N(Domains.Sum(d => d.ItemsWithoutText)),
            AverageSequenceLength.ToString("F2", CultureInfo.InvariantCulture), ""]);
        return rows;
    }

    /// <summary>One line: name, users, overlap users, average merged sequence length.</summary>
    public string Summary() =>
        $"{Name}: {N(Users)} users, {N(OverlapUsers)} in two or more domains, {N(Interactions)} interactions, " +
        $"average sequence length {AverageSequenceLength.ToString("F2", CultureInfo.InvariantCulture)}";

    /// <summary>The rows as a Spectre.Console table (caption: <see cref="Summary"/>).</summary>
    public Table ToTable()
    {
        var rows = ToRows();
        var table = new Table().Title(Markup.Escape(Name)).Caption(Markup.Escape(Summary()));
        foreach (var h in rows[0])
            table.AddColumn(new TableColumn(Markup.Escape(h)) { Alignment = h == "Domain" ? Justify.Left : Justify.Right });
        foreach (var row in rows.Skip(1)) table.AddRow(row.Select(Markup.Escape).ToArray());
        return table;
    }

    static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
    static string Percent(double x) => (100 * x).ToString("F4", CultureInfo.InvariantCulture) + "%";
}
