using GenCdr.Benchmark;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Benchmark;

public class HarnessCheckTests
{
    /// <summary>Our Recall@10 per model, over 40,000 test users, in three domains: "sports" and "clothing" (paper domains)
    /// and "Beauty" (not one).</summary>
    static MeasuredResults Ours(params (string Model, double R10)[] rows)
    {
        var doc = new ResultsDocument { Dataset = "fake" };
        foreach (var (model, r10) in rows)
            doc.Add(new EvaluationResult(model, GenCdr.Data.Split.Test,
            [
                new DomainEvaluation("sports", 40_000, 40_000, new Dictionary<string, double> { ["Recall@10"] = r10 }),
                new DomainEvaluation("clothing", 40_000, 40_000, new Dictionary<string, double> { ["Recall@10"] = r10 }),
                new DomainEvaluation("Beauty", 40_000, 40_000, new Dictionary<string, double> { ["Recall@10"] = r10 }),
            ], WallSeconds: 1, UsersPerSecond: 1));
        return new MeasuredResults(doc, "test", "GenCDR");
    }

    static string? PaperDomain(string ours) => ours switch { "sports" => "Sports", "clothing" => "Clothing", _ => null };

    [Fact]
    public void Every_baseline_gets_a_verdict_in_every_paper_domain_and_one_without_a_published_number_says_so()
    {
        var ours = Ours(("SASRec", 0.0474), ("SASRec (BCE)", 0.0221), ("SASRec2", 0.035), ("LLM4CDSR-style, MiniLM embeddings", 0.03),
            ("GenCDR", 0.0251), ("GenCDR w/o MTM", 0.0251));
        var sports = HarnessCheck.Compute(ours, PaperDomain).Where(v => v.Domain == "sports").ToList();
        Assert.Equal(["SASRec", "SASRec (BCE)", "SASRec2", "LLM4CDSR-style, MiniLM embeddings"], sports.Select(v => v.Model));
        Assert.Equal(["above the range", "below the range", HarnessVerdict.NoComparableNumber, HarnessVerdict.NoComparableNumber],
            sports.Select(v => v.Position));
        // SASRec on Sports: the GenCDR paper's Table 2 value joins the other sources' values
        var range = sports[0].Range!;
        Assert.Equal((0.0334, 0.0373), (range.Low, range.High));
        Assert.Equal("GenCDR paper, Table 2", range.Values[0].Source);
        Assert.Contains(range.Values, v => v.Source.StartsWith("TIGER paper"));
        Assert.DoesNotContain(HarnessCheck.Compute(ours, PaperDomain), v => v.Domain == "Beauty");
    }

    [Fact]
    public void A_baseline_only_the_GenCDR_paper_reports_is_checked_against_its_Table_2_value()
    {
        var verdict = Assert.Single(HarnessCheck.Compute(Ours(("C2DSR", 0.0240)), PaperDomain), v => v.Domain == "clothing");
        Assert.Equal(PaperResults.Table2("Clothing", "C2DSR", "Recall@10"), verdict.Range!.Low);
        Assert.Equal(verdict.Range.Low, verdict.Range.High);
        Assert.Equal("GenCDR paper, Table 2", Assert.Single(verdict.Range.Values).Source);
    }

    /// <summary>The range includes its ends; outside it, our value's 95 % interval over its users decides between "within
    /// noise of the range" and "above"/"below" (40,000 users at 0.04: ± 1.96·√(0.04·0.96/40,000) = ± 0.00192).</summary>
    [Fact]
    public void The_range_includes_its_ends_and_our_interval_decides_just_outside_it()
    {
        var range = new PublishedRange("Sports", "SASRec", "Recall@10", [new(0.03, "made up"), new(0.04, "made up too")]);
        var verdicts = HarnessCheck.Compute(Ours(("SASRec", 0.03), ("SASRec (a)", 0.04), ("SASRec (b)", 0.0418), ("SASRec (c)", 0.0421), ("SASRec (d)", 0.0282)),
            PaperDomain, [range]).Where(v => v.Domain == "sports").ToList();
        Assert.Equal(["within the range", "within the range", "within noise of the range", "above the range", "below the range"], verdicts.Select(v => v.Position));
        Assert.Equal(1.96 * Math.Sqrt(0.04 * 0.96 / 40_000), verdicts[1].Margin, 12);
    }

    [Fact]
    public void The_report_section_tabulates_the_verdicts_and_cites_every_value()
    {
        var md = HarnessCheck.Render(HarnessCheck.Compute(Ours(("SASRec", 0.0350), ("Popularity", 0.01)), PaperDomain));
        Assert.StartsWith("## Harness check", md);
        Assert.Contains("| sports | SASRec | R@10 | 0.0350 ± 0.0018 | 0.0334–0.0373 | within the range |", md);
        Assert.Contains("| sports | Popularity | R@10 | 0.0100 ± 0.0010 | – | no comparable published number |", md);
        Assert.Contains("0.0350 (TIGER paper (Rajput et al., NeurIPS 2023), Table 1;", md);
        Assert.Equal("", HarnessCheck.Render(HarnessCheck.Compute(Ours(("GenCDR", 0.05)), PaperDomain)));
    }
}
