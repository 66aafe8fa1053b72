using System.Text;

namespace GenCdr.Benchmark;

/// <summary>A published range for one well-known baseline in one paper domain, e.g. SASRec's Recall@10 on
/// Sports, 0.033–0.038. <see cref="Note"/> says what the published numbers were trained with, when that matters
/// for reading the check.</summary>
public sealed record PublishedRange(string Domain, string Model, string Metric, double Low, double High, string Sources, string? Note = null);

/// <summary>Where one of our models lands against a <see cref="PublishedRange"/>.</summary>
public sealed record HarnessVerdict(string Domain, string Model, double Value, PublishedRange Range)
{
    public string Position => Value < Range.Low ? "below the range" : Value > Range.High ? "above the range" : "within the range";
}

/// <summary>
/// Is the harness to be trusted? A harness whose well-known baseline lands in the range other papers publish
/// for the same data and protocol (the quality bar: SASRec on Sports, Recall@10 ≈ 0.033–0.038) earns trust
/// for the rest of its numbers. The ranges live in the embedded resource <c>published-ranges.json</c>, keyed by
/// the paper's domain name; our models are matched by name, a parenthesised suffix included ("SASRec (BCE)" is
/// checked against SASRec's range). Verdicts are computed, never written by hand.
/// </summary>
public static class HarnessCheck
{
    static readonly Lazy<IReadOnlyList<PublishedRange>> Ranges = new(Load);

    /// <summary>Every published range we know of.</summary>
    public static IReadOnlyList<PublishedRange> All => Ranges.Value;

    /// <summary>The verdict of every model of ours that has a published range in its domain's paper domain.</summary>
    public static IReadOnlyList<HarnessVerdict> Compute(MeasuredResults ours, Func<string, string?> paperDomainOf, IReadOnlyList<PublishedRange>? ranges = null)
    {
        var verdicts = new List<HarnessVerdict>();
        foreach (var domain in ours.Domains)
        {
            if (paperDomainOf(domain) is not { } paper) continue;
            foreach (var range in (ranges ?? All).Where(r => string.Equals(r.Domain, paper, StringComparison.OrdinalIgnoreCase)))
                foreach (var model in ours.Models.Where(m => IsInstanceOf(m, range.Model)))
                    if (ours.Metric(model, domain, range.Metric) is { } value)
                        verdicts.Add(new HarnessVerdict(domain, model, value, range));
        }
        return verdicts;
    }

    /// <summary>The report section: a table of verdicts and the ranges' sources and notes; empty when no model of
    /// ours has a published range.</summary>
    public static string Render(IReadOnlyList<HarnessVerdict> verdicts)
    {
        if (verdicts.Count == 0) return "";
        var md = new StringBuilder("## Harness check (baselines against published numbers)\n\n");
        md.Append("A harness whose well-known baseline lands in the range published for the same data and protocol ")
          .Append("can be trusted with its other numbers.\n\n");
        var table = new MarkdownTable("Domain", "Model", "Metric", "ours", "published", "verdict");
        foreach (var v in verdicts)
            table.AddRow(v.Domain, v.Model, ReportFormat.ShortMetric(v.Range.Metric), ReportFormat.Metric(v.Value),
                $"{ReportFormat.Metric(v.Range.Low)}–{ReportFormat.Metric(v.Range.High)}", v.Position);
        md.Append(table).Append('\n');
        foreach (var range in verdicts.Select(v => v.Range).Distinct())
        {
            md.Append($"- {range.Model} {range.Metric} on {range.Domain}: {range.Sources}.");
            if (range.Note is { } note) md.Append(' ').Append(note);
            md.Append('\n');
        }
        return md.Append('\n').ToString();
    }

    /// <summary>"SASRec" and "SASRec (BCE)" are instances of "SASRec"; "SASRec2" is not.</summary>
    static bool IsInstanceOf(string model, string published) =>
        string.Equals(model, published, StringComparison.OrdinalIgnoreCase)
        || model.StartsWith(published + " (", StringComparison.OrdinalIgnoreCase);

    static IReadOnlyList<PublishedRange> Load()
    {
        var file = EmbeddedJson.Read<RangesFile>("GenCdr.Benchmark.published-ranges.json");
        foreach (var r in file.Ranges)
            if (!(r.Low <= r.High) || PaperResults.FindDomain(r.Domain) is null)
                throw new InvalidOperationException($"published-ranges.json: the range of {r.Model} on {r.Domain} is not a range of a paper domain");
        return file.Ranges;
    }

    sealed record RangesFile(IReadOnlyList<PublishedRange> Ranges);
}
