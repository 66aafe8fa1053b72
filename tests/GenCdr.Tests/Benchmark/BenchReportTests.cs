using GenCdr.Benchmark;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Benchmark;

public class BenchReportTests
{
    static BenchReportInput Input(ResultsDocument? doc = null) => new()
    {
        Results = doc ?? FakeResults.Create(),
        PaperDomains = new Dictionary<string, string> { ["sports"] = "Sports" },
        Provenance = "Made-up provenance line.",
        Protocol = "Made-up protocol line.",
    };

    static string[] Lines(string markdown) => markdown.Split('\n');

    /// <summary>The lines of the section that starts with the heading, up to the next heading of any level.</summary>
    static string[] Section(string markdown, string heading) =>
        Lines(markdown).SkipWhile(l => l != heading).Skip(1).TakeWhile(l => !l.StartsWith('#')).ToArray();

    [Fact]
    public void OurRowsComeFirstWithFourDecimalsAndTheFullModelLast()
    {
        var sports = Section(BenchReport.RenderMarkdown(Input()), "### sports");
        var ours = sports.Where(l => l.Contains("| ours |")).ToArray();
        Assert.Equal(["Popularity", "SASRec", "TIGER", "GenCDR"], ours.Select(l => l.Split('|')[1].Trim()));
        // R@5 = 0.05/2 + 0.0000456 = 0.0250456 → 0.0250; N@5 = 0.02; 200 of 250 users.
        Assert.Contains("| GenCDR | ours | 0.0250 | 0.0200 | 0.0500 | 0.0400 | 200 of 250 |", sports);
        Assert.DoesNotContain(sports, l => l.Contains("w/o"));
        int firstPaper = Array.FindIndex(sports, l => l.Contains("| paper |"));
        Assert.True(firstPaper > Array.FindLastIndex(sports, l => l.Contains("| ours |")));
    }

    [Fact]
    public void PaperRowsOnlyForDomainsThePaperHas()
    {
        string md = BenchReport.RenderMarkdown(Input());
        var sports = Section(md, "### sports");
        Assert.Equal(10, sports.Count(l => l.Contains("| paper |")));
        Assert.Contains("| TIGER | paper | 0.0267 | 0.0244 | 0.0397 | 0.0287 | – |", sports);
        Assert.Contains("| GenCDR | paper | 0.0274 | 0.0261 | 0.0403 | 0.0262 | – |", sports);
        var beauty = Section(md, "### Beauty");
        Assert.Equal(4, beauty.Count(l => l.Contains("| ours |")));
        Assert.DoesNotContain(beauty, l => l.Contains("| paper |"));
        Assert.Contains("| SASRec | ours | 0.0100 | 0.0050 | 0.0200 | 0.0100 | 120 |", beauty);
    }

    [Fact]
    public void AblationShowsOurDropNextToThePapers()
    {
        var ablation = Section(BenchReport.RenderMarkdown(Input()), "## Ablation (as the paper's Table 3, NDCG@10)");
        Assert.Contains("| variant | sports ours | sports paper (Sports) | Beauty ours |", ablation);
        // sports: (0.04 − 0.03) / 0.04 = 25.0% drop; Beauty: 0.025 vs 0.02 is a 25.0% gain. Paper: 0.0245, ↓6.5%.
        Assert.Contains("| w/o MTM | 0.0300 (↓25.0%) | 0.0245 (↓6.5%) | 0.0250 (↑25.0%) |", ablation);
        Assert.Contains("| GenCDR (full) | 0.0400 | 0.0262 | 0.0200 |", ablation);
        Assert.Contains("| w/o Prefix Tree | – | 0.0255 (↓2.7%) | – |", ablation);
    }

    [Fact]
    public void RelativeDropIsFullMinusVariantOverFull()
    {
        Assert.Equal(25.0, AblationTable.RelativeDropPercent(0.04, 0.03)!.Value, 10);
        Assert.Equal(-50.0, AblationTable.RelativeDropPercent(0.02, 0.03)!.Value, 10);
        Assert.Null(AblationTable.RelativeDropPercent(0, 0.01));
        Assert.Equal("↓6.5%", ReportFormat.Drop(6.49));
        Assert.Equal("↑1.2%", ReportFormat.Drop(-1.2));
    }

    [Fact]
    public void VerdictIsComputedInBothDirections()
    {
        var ours = new MeasuredResults(FakeResults.Create(), "test", "GenCDR");
        var verdicts = BaselineVerdicts.Compute(ours, ["TIGER", "SASRec"]);
        Assert.True(verdicts.Single(v => v.Domain == "sports" && v.Baseline == "TIGER").Beats);
        Assert.False(verdicts.Single(v => v.Domain == "sports" && v.Baseline == "SASRec").Beats);
        // Beauty: GenCDR 0.03 = TIGER 0.03, a tie, which is not a win.
        Assert.False(verdicts.Single(v => v.Domain == "Beauty" && v.Baseline == "TIGER").Beats);
        Assert.True(verdicts.Single(v => v.Domain == "Beauty" && v.Baseline == "SASRec").Beats);

        var summary = Section(BenchReport.RenderMarkdown(Input()), "## Does GenCDR beat the baselines?");
        // by default every measured baseline but the floors, in the results' order
        Assert.Contains("- sports (test Recall@10): GenCDR does not beat SASRec (0.0500 vs 0.0600); GenCDR beats TIGER (0.0500 vs 0.0400).", summary);
        Assert.Contains("- Beauty (test Recall@10): GenCDR beats SASRec (0.0300 vs 0.0200); GenCDR does not beat TIGER (0.0300 vs 0.0300).", summary);
        Assert.Contains("GenCDR beats SASRec and TIGER in 0 of 2 domains with results for all of them.", summary);
        Assert.DoesNotContain("Popularity", summary);
    }

    [Fact]
    public void VerdictBeatsEverywhereWhenGenCdrIsBest()
    {
        var doc = FakeResults.Create();
        doc.Models["GenCDR"].Splits["test"].Domains["sports"].Metrics["Recall@10"] = 0.07;
        doc.Models["GenCDR"].Splits["test"].Domains["Beauty"].Metrics["Recall@10"] = 0.04;
        var summary = Section(BenchReport.RenderMarkdown(Input(doc)), "## Does GenCDR beat the baselines?");
        Assert.Contains("- sports (test Recall@10): GenCDR beats SASRec (0.0700 vs 0.0600); GenCDR beats TIGER (0.0700 vs 0.0400).", summary);
        Assert.Contains("GenCDR beats SASRec and TIGER in 2 of 2 domains with results for all of them (sports, Beauty).", summary);
    }

    /// <summary>With per-user ranks the verdict is the paired interval's: a higher Recall@10 within noise is no win, and a
    /// baseline better beyond noise is named in the summary.</summary>
    [Fact]
    public void With_ranks_the_verdict_follows_the_paired_interval()
    {
        var doc = FakeResults.Create();
        TargetRanks Ranks(Func<int, int> rankOf) => new(Enumerable.Range(0, 1000).ToDictionary(u => (u, 0), rankOf));
        var ranks = new Dictionary<string, TargetRanks>
        {
            ["GenCDR"] = Ranks(u => u % 10 < 3 ? 0 : -1),      // 30 % hits
            ["SASRec"] = Ranks(u => u % 10 < 6 ? 0 : -1),      // 60 %: better beyond noise
            ["TIGER"] = Ranks(u => u % 10 is 0 or 1 or 5 ? 0 : -1), // 30 %, other users: a tie within noise
        };
        var ours = new MeasuredResults(doc, "test", "GenCDR");
        var verdicts = BaselineVerdicts.Compute(ours, ["SASRec", "TIGER"], ranks, name => name == "sports" ? 0 : -1);
        var sasrec = verdicts.Single(v => v.Domain == "sports" && v.Baseline == "SASRec");
        Assert.True(sasrec.Loses);
        Assert.StartsWith("GenCDR loses to SASRec (0.0500 vs 0.0600; −0.3000 [", sasrec.Clause);
        var tiger = verdicts.Single(v => v.Domain == "sports" && v.Baseline == "TIGER");
        Assert.False(tiger.Beats);                                  // 0.05 > 0.04 in the values, but within noise in the ranks
        Assert.StartsWith("GenCDR is within noise of TIGER", tiger.Clause);
        Assert.Contains("It loses to sports: SASRec.", BaselineVerdicts.Summary(verdicts));
        // more than two baselines are named as a list
        Assert.StartsWith("GenCDR beats all 3 compared baselines (SASRec, TIGER, Popularity) in 0 of",
            BaselineVerdicts.Summary(BaselineVerdicts.Compute(ours, ["SASRec", "TIGER", "Popularity"], ranks, name => name == "sports" ? 0 : -1)));
    }

    [Fact]
    public void AMissingBaselineGivesNoVerdict()
    {
        var doc = FakeResults.Create();
        doc.Models.Remove("TIGER");
        var ours = new MeasuredResults(doc, "test", "GenCDR");
        var tiger = BaselineVerdicts.Compute(ours, ["TIGER"]).First();
        Assert.Null(tiger.Beats);
        Assert.Equal("TIGER has no Recall@10 result", tiger.Clause);
        // the summary counts the baselines that were run and names the one that was not
        Assert.Equal("GenCDR beats SASRec in 1 of 2 domains with results for all of them (Beauty). TIGER has no result in this bench.",
            BaselineVerdicts.Summary(BaselineVerdicts.Compute(ours, ["TIGER", "SASRec"])));
    }

    [Fact]
    public void ProtocolProvenanceAndCostAreInTheReport()
    {
        var input = Input() with
        {
            RunInfo = new Dictionary<string, ModelRunInfo>
            {
                ["GenCDR"] = new() { TrainSeconds = 123.45, PeakMemoryMb = 987.6, DecodeUsersPerSecond = 55.54 },
            },
        };
        string md = BenchReport.RenderMarkdown(input);
        Assert.Contains("Made-up protocol line.", Section(md, "## Protocol"));
        Assert.Contains("Made-up provenance line.", Section(md, "## Data set"));
        var cost = Section(md, "## Cost per model");
        Assert.Contains("| GenCDR | 123.5 | 988 | 55.5 | 2.5 | 128.0 |", cost);
        Assert.Contains("| SASRec | – | – | – | 2.5 | 128.0 |", cost);
        Assert.Contains(cost, l => l.StartsWith("| GenCDR w/o MTM |"));
    }

    [Fact]
    public void WriteProducesReportResultsAndLinkedPngs()
    {
        string folder = Path.Combine(Path.GetTempPath(), "gencdr-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var rng = new Random(3);
            float[][] Latents(double spread) => Enumerable.Range(0, 300)
                .Select(i => Enumerable.Range(0, 8).Select(j => (float)((i % 3) * spread * (j == i % 3 ? 1 : 0) + rng.NextDouble())).ToArray())
                .ToArray();
            var domains = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
            var input = Input() with
            {
                RunInfo = new Dictionary<string, ModelRunInfo>
                {
                    ["GenCDR"] = new()
                    {
                        TrainSeconds = 10,
                        LossCurves = new Dictionary<string, IReadOnlyList<LossPoint>>
                        {
                            ["rq-vae"] = [new(1, 0.9), new(2, 0.5), new(3, 0.3)],
                            ["universal experts"] = [new(1, 5.0), new(2, 4.1)],
                        },
                    },
                    ["SASRec"] = new() { LossCurves = new Dictionary<string, IReadOnlyList<LossPoint>> { ["train"] = [new(1, 7.0), new(2, 6.0)] } },
                },
                Latents = [new ItemLatents("without adapters", Latents(0.2), domains), new ItemLatents("with adapters", Latents(6), domains)],
                LatentDomainNames = ["sports", "Beauty", "outdoor"],
            };
            var output = BenchReport.Write(folder, input);

            string md = File.ReadAllText(output.ReportPath);
            foreach (var png in new[] { BenchReport.RecallBarsFile, BenchReport.TrainingLossFile, BenchReport.ItemLatentsFile })
            {
                Assert.Contains($"]({png})", md);
                Assert.True(PngTests.IsPng(Path.Combine(folder, png)), png);
            }
            Assert.Empty(Directory.GetFiles(folder, "*.tmp*"));

            var saved = BenchResultsFile.Load(output.ResultsPath);
            Assert.Equal(0.05, saved.Results.Models["GenCDR"].Splits["test"].Domains["sports"].Metrics["Recall@10"]);
            Assert.Equal(0.5, saved.RunInfo["GenCDR"].LossCurves["rq-vae"][1].Loss);
            Assert.Equal("Sports", saved.PaperDomains["sports"]);
            Assert.False(saved.PaperDomains.ContainsKey("Beauty"));
            Assert.Equal(2, output.Figures.Projections!.Count);

            // The saved file is enough to write the same report again (figures aside).
            var again = saved.ToReportInput();
            Assert.Equal("Made-up protocol line.", saved.Protocol);
            Assert.Equal(BenchReport.RenderMarkdown(input with { Latents = [] }), BenchReport.RenderMarkdown(again));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
