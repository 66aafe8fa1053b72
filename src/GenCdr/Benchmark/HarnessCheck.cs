using System.Text;

namespace GenCdr.Benchmark;

/// <summary>One published number for a model on a paper domain under the paper's protocol (leave-last-out, full
/// ranking), and where it was published.</summary>
public sealed record PublishedValue(double Value, string Source);

/// <summary>The published numbers for one baseline on one paper domain and metric, e.g. SASRec's Recall@10 on Sports:
/// the GenCDR paper's Table 2 and every other paper or public reproduction found for the same data and protocol.
/// <see cref="Note"/> says what the published numbers were trained with, when that matters for reading the check.</summary>
public sealed record PublishedRange(string Domain, string Model, string Metric, IReadOnlyList<PublishedValue> Values, string? Note = null)
{
    public double Low => Values.Min(v => v.Value);
    public double High => Values.Max(v => v.Value);
}

/// <summary>Where one of our baselines lands against its <see cref="PublishedRange"/>; <see cref="Range"/> is null when
/// no comparable number is published. <see cref="Margin"/> is the half-width of a 95 % interval of our value over its
/// <c>users</c> test users: 1.96·√(v(1 − v)/n), exact for Recall@K (a mean of 0/1 values) and an upper bound for NDCG@K
/// (a mean of values in [0, 1] has variance at most v(1 − v)). A single published value is a point, so a verdict that
/// ignored our own sampling error would call almost every honest reproduction "above" or "below" it.</summary>
public sealed record HarnessVerdict(string Domain, string Model, string Metric, double Value, int Users, PublishedRange? Range)
{
    public const string NoComparableNumber = "no comparable published number";

    public double Margin => Users > 0 ? 1.96 * Math.Sqrt(Math.Max(0, Value * (1 - Value)) / Users) : double.PositiveInfinity;

    public string Position => Range is null ? NoComparableNumber
        : Value >= Range.Low && Value <= Range.High ? "within the range"
        : Value + Margin >= Range.Low && Value - Margin <= Range.High ? "within noise of the range"
        : Value < Range.Low ? "below the range" : "above the range";
}

/// <summary>
/// Is the harness to be trusted? A harness whose well-known baselines land in the range other papers publish for the
/// same data and protocol earns trust for the rest of its numbers. Every baseline of a run (every model that is not a
/// GenCDR variant) is checked on every domain that is a paper domain, for Recall@10 and NDCG@10: against the values of
/// the GenCDR paper's Table 2 (<see cref="PaperResults"/>) and those of other papers and reproductions kept in the
/// embedded resource <c>published-ranges.json</c>, each with its source; where none is known the verdict says so. Our
/// models are matched by name, a parenthesised suffix included ("SASRec (BCE)" is checked against SASRec's range;
/// "LLM4CDSR-style, MiniLM embeddings" is not the paper's LLM4CDSR). Verdicts are computed, never written by hand.
/// </summary>
public static class HarnessCheck
{
    /// <summary>The metrics checked.</summary>
    public static readonly IReadOnlyList<string> Metrics = ["Recall@10", "NDCG@10"];

    const string GenCdrPaperSource = "GenCDR paper, Table 2";

    static readonly Lazy<IReadOnlyList<PublishedRange>> Ranges = new(Load);

    /// <summary>Every published range we know of: the GenCDR paper's Table 2 baselines merged with the other sources.</summary>
    public static IReadOnlyList<PublishedRange> All => Ranges.Value;

    /// <summary>A verdict for every baseline of ours in every domain that has a paper domain, per checked metric.</summary>
    public static IReadOnlyList<HarnessVerdict> Compute(MeasuredResults ours, Func<string, string?> paperDomainOf, IReadOnlyList<PublishedRange>? ranges = null)
    {
        var verdicts = new List<HarnessVerdict>();
        foreach (var domain in ours.Domains)
        {
            if (paperDomainOf(domain) is not { } paper) continue;
            foreach (var model in ours.Models.Where(m => !IsInstanceOf(m, PaperResults.FullModel)))
                foreach (var metric in Metrics)
                    if (ours.Metric(model, domain, metric) is { } value)
                        verdicts.Add(new HarnessVerdict(domain, model, metric, value, ours.Domain(model, domain)!.UsersEvaluated, (ranges ?? All).FirstOrDefault(r =>
                            string.Equals(r.Domain, paper, StringComparison.OrdinalIgnoreCase) && r.Metric == metric && IsInstanceOf(model, r.Model))));
        }
        return verdicts;
    }

    /// <summary>The report section: a table of verdicts and the ranges' sources and notes; empty when no baseline of
    /// ours is in a paper domain.</summary>
    public static string Render(IReadOnlyList<HarnessVerdict> verdicts)
    {
        if (verdicts.Count == 0) return "";
        var md = new StringBuilder("## Harness check (baselines against published numbers)\n\n");
        md.Append("A harness whose well-known baselines land in the range published for the same data and protocol ")
          .Append("(leave-last-out, full ranking) can be trusted with its other numbers. \"published\" is the range of the values below ")
          .Append("(one value: a single source); \"ours\" carries the half-width of its 95 % interval over the test users, and a value ")
          .Append("outside the range whose interval still reaches it is \"within noise of the range\".\n\n");
        var table = new MarkdownTable("Domain", "Model", "Metric", "ours", "published", "verdict");
        foreach (var v in verdicts)
            table.AddRow(v.Domain, v.Model, ReportFormat.ShortMetric(v.Metric), $"{ReportFormat.Metric(v.Value)} ± {ReportFormat.Metric(v.Margin)}",
                v.Range is null ? ReportFormat.Missing
                : v.Range.Low == v.Range.High ? ReportFormat.Metric(v.Range.Low) : $"{ReportFormat.Metric(v.Range.Low)}–{ReportFormat.Metric(v.Range.High)}",
                v.Position);
        md.Append(table).Append('\n');
        foreach (var range in verdicts.Select(v => v.Range).OfType<PublishedRange>().Distinct())
        {
            md.Append($"- {range.Model} {ReportFormat.ShortMetric(range.Metric)} on {range.Domain}: ")
              .Append(string.Join("; ", range.Values.Select(v => $"{ReportFormat.Metric(v.Value)} ({v.Source})"))).Append('.');
            if (range.Note is { } note) md.Append(' ').Append(note);
            md.Append('\n');
        }
        return md.Append('\n').ToString();
    }

    /// <summary>"SASRec" and "SASRec (BCE)" are instances of "SASRec"; "SASRec2" is not.</summary>
    static bool IsInstanceOf(string model, string published) =>
        string.Equals(model, published, StringComparison.OrdinalIgnoreCase)
        || model.StartsWith(published + " (", StringComparison.OrdinalIgnoreCase);

    /// <summary>The other sources' ranges with the GenCDR paper's value added, and a range of the paper's value alone for
    /// every Table 2 baseline no other source covers.</summary>
    static IReadOnlyList<PublishedRange> Load()
    {
        var file = EmbeddedJson.Read<RangesFile>("GenCdr.Benchmark.published-ranges.json");
        var ranges = new List<PublishedRange>();
        foreach (var r in file.Ranges)
        {
            if (PaperResults.FindDomain(r.Domain) is not { } domain || !Metrics.Contains(r.Metric) || r.Values.Count == 0)
                throw new InvalidOperationException($"published-ranges.json: the range of {r.Model} on {r.Domain} ({r.Metric}) needs a paper domain, a checked metric and at least one value");
            ranges.Add(r with { Domain = domain });
        }
        foreach (var domain in PaperResults.Domains)
            foreach (var row in PaperResults.Table2Rows(domain).Where(row => row.Model != PaperResults.FullModel))
                foreach (var metric in Metrics)
                {
                    var paper = new PublishedValue(row.Metrics[metric], GenCdrPaperSource);
                    int at = ranges.FindIndex(r => r.Domain == domain && r.Model == row.Model && r.Metric == metric);
                    if (at < 0) ranges.Add(new PublishedRange(domain, row.Model, metric, [paper]));
                    else ranges[at] = ranges[at] with { Values = [paper, .. ranges[at].Values] };
                }
        return ranges;
    }

    sealed record RangesFile(IReadOnlyList<PublishedRange> Ranges);
}
