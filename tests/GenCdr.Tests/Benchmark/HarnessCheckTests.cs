using GenCdr.Benchmark;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Benchmark;

public class HarnessCheckTests
{
    static MeasuredResults Ours(params (string Model, double SportsR10)[] rows)
    {
        var doc = new ResultsDocument { Dataset = "fake" };
        foreach (var (model, r10) in rows)
            doc.Add(new EvaluationResult(model, GenCdr.Data.Split.Test,
            [
                new DomainEvaluation("sports", 10, 10, new Dictionary<string, double> { ["Recall@10"] = r10 }),
                new DomainEvaluation("Beauty", 10, 10, new Dictionary<string, double> { ["Recall@10"] = r10 }),
            ], WallSeconds: 1, UsersPerSecond: 1));
        return new MeasuredResults(doc, "test", "GenCDR");
    }

    static string? PaperDomain(string ours) => ours == "sports" ? "Sports" : null;

    [Fact]
    public void EveryInstanceOfThePublishedModelGetsAVerdict_OnlyInThePapersDomain()
    {
        var ours = Ours(("SASRec", 0.0474), ("SASRec (BCE)", 0.0221), ("SASRec2", 0.035), ("GenCDR", 0.0251));
        var verdicts = HarnessCheck.Compute(ours, PaperDomain);
        Assert.Equal(["SASRec", "SASRec (BCE)"], verdicts.Select(v => v.Model));
        Assert.All(verdicts, v => Assert.Equal("sports", v.Domain));
        Assert.Equal(["above the range", "below the range"], verdicts.Select(v => v.Position));
        Assert.Equal((0.033, 0.038), (verdicts[0].Range.Low, verdicts[0].Range.High));
    }

    [Fact]
    public void TheRangeIncludesItsEnds()
    {
        var range = new PublishedRange("Sports", "SASRec", "Recall@10", 0.03, 0.04, "made up");
        var verdicts = HarnessCheck.Compute(Ours(("SASRec", 0.03), ("SASRec (a)", 0.04), ("SASRec (b)", 0.0401)), PaperDomain, [range]);
        Assert.Equal(["within the range", "within the range", "above the range"], verdicts.Select(v => v.Position));
    }

    [Fact]
    public void TheReportSectionTabulatesTheVerdictsAndCitesTheSources()
    {
        var md = HarnessCheck.Render(HarnessCheck.Compute(Ours(("SASRec", 0.0350)), PaperDomain));
        Assert.StartsWith("## Harness check", md);
        Assert.Contains("| sports | SASRec | R@10 | 0.0350 | 0.0330–0.0380 | within the range |", md);
        Assert.Contains("TIGER paper", md);
        Assert.Equal("", HarnessCheck.Render(HarnessCheck.Compute(Ours(("GenCDR", 0.05)), PaperDomain)));
    }
}
