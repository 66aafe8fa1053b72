using GenCdr.Benchmark;

namespace GenCdr.Tests.Benchmark;

public class PaperResultsTests
{
    [Theory]
    // Table 2 cells checked by eye against shared/seed/GenCDR-paper-notes.txt (§6.1).
    [InlineData("Sports", "GenCDR", "Recall@10", 0.0403)]
    [InlineData("Clothing", "SASRec", "Recall@10", 0.0227)]
    [InlineData("Phones", "TIGER", "Recall@10", 0.0613)]
    [InlineData("Sports", "STOSA", "NDCG@10", 0.0283)]
    [InlineData("Electronics", "TriCDR", "NDCG@10", 0.0280)]
    [InlineData("Books", "BERT4Rec", "Recall@5", 0.0089)]
    [InlineData("Movies", "HSTU", "NDCG@5", 0.1189)]
    [InlineData("Movies", "LLM4CDSR", "NDCG@5", 0.1149)]
    [InlineData("Phones", "LLM4CDSR", "Recall@5", 0.0431)]
    [InlineData("Clothing", "VQ-Rec", "NDCG@10", 0.0170)]
    public void Table2SpotChecks(string domain, string model, string metric, double expected) =>
        Assert.Equal(expected, PaperResults.Table2(domain, model, metric));

    [Theory]
    // The anchors of the method spec §6: SASRec, TIGER and GenCDR per domain.
    [InlineData("Sports", 0.0334, 0.0397, 0.0403, 0.0262)]
    [InlineData("Clothing", 0.0227, 0.0241, 0.0265, 0.0203)]
    [InlineData("Phones", 0.0537, 0.0613, 0.0622, 0.0512)]
    [InlineData("Electronics", 0.0285, 0.0322, 0.0342, 0.0283)]
    [InlineData("Books", 0.0182, 0.0221, 0.0237, 0.0212)]
    [InlineData("Movies", 0.1825, 0.1893, 0.1971, 0.1275)]
    public void Table2AgreesWithTheSpecAnchors(string domain, double sasrecR10, double tigerR10, double gencdrR10, double gencdrN10)
    {
        Assert.Equal(sasrecR10, PaperResults.Table2(domain, "SASRec", "Recall@10"));
        Assert.Equal(tigerR10, PaperResults.Table2(domain, "TIGER", "Recall@10"));
        Assert.Equal(gencdrR10, PaperResults.Table2(domain, "GenCDR", "Recall@10"));
        Assert.Equal(gencdrN10, PaperResults.Table2(domain, "GenCDR", "NDCG@10"));
    }

    [Theory]
    [InlineData("Sports", "w/o MTM", 0.0245, 6.5)]
    [InlineData("Phones", "w/o Item Adapter", 0.0466, 9.0)]
    [InlineData("Electronics", "w/o Specific Expert", 0.0245, 13.4)]
    [InlineData("Clothing", "w/o Universal Experts", 0.0162, 20.2)]
    [InlineData("Sports", "w/o MoE Gate (Avg.)", 0.0242, 7.6)]
    [InlineData("Electronics", "w/o Prefix Tree", 0.0274, 3.2)]
    public void Table3SpotChecks(string domain, string variant, double ndcg10, double statedDrop)
    {
        Assert.Equal(ndcg10, PaperResults.Ablation(domain, variant));
        Assert.Equal(statedDrop, PaperResults.StatedAblationDropPercent(domain, variant));
    }

    [Fact]
    public void TablesHaveThePapersShape()
    {
        Assert.Equal(["BERT4Rec", "SASRec", "STOSA", "VQ-Rec", "TIGER", "HSTU", "C2DSR", "TriCDR", "LLM4CDSR", "GenCDR"], PaperResults.Models);
        Assert.Equal(["Sports", "Clothing", "Phones", "Electronics", "Books", "Movies"], PaperResults.Domains);
        Assert.Equal(["Recall@5", "NDCG@5", "Recall@10", "NDCG@10"], PaperResults.Metrics);
        Assert.Equal(["Phones", "Electronics", "Sports", "Clothing"], PaperResults.AblationDomains);
        Assert.Equal(6, PaperResults.AblationVariants.Count);
        Assert.All(PaperResults.Domains, d => Assert.Equal(10, PaperResults.Table2Rows(d).Count));
        Assert.Equal("Leisure", PaperResults.ScenarioOf("Clothing"));
        Assert.Equal("Entertainment", PaperResults.ScenarioOf("Movies"));
    }

    [Fact]
    public void Table3FullModelIsTable2GenCdrNdcg10()
    {
        foreach (var domain in PaperResults.AblationDomains)
            Assert.Equal(PaperResults.Table2(domain, "GenCDR", "NDCG@10"), PaperResults.Ablation(domain, "GenCDR"));
    }

    [Fact]
    public void StatedDropsAgreeWithTheValuesToRounding()
    {
        // A transcription slip in either a value or a printed drop would break this.
        foreach (var domain in PaperResults.AblationDomains)
            foreach (var variant in PaperResults.AblationVariants)
            {
                double full = PaperResults.Ablation(domain, "GenCDR"), value = PaperResults.Ablation(domain, variant);
                double computed = (full - value) / full * 100;
                Assert.True(Math.Abs(computed - PaperResults.StatedAblationDropPercent(domain, variant)!.Value) <= 0.051,
                    $"{domain} {variant}: computed {computed:0.00}% vs stated {PaperResults.StatedAblationDropPercent(domain, variant)}%");
            }
    }

    [Fact]
    public void NamesMatchIgnoringCaseAndVariantPunctuation()
    {
        Assert.Equal("Sports", PaperResults.FindDomain("sports"));
        Assert.Null(PaperResults.FindDomain("Beauty"));
        Assert.Equal(0.0176, PaperResults.Table2("books", "bert4rec", "recall@10"));
        Assert.Equal("w/o MoE Gate (Avg.)", PaperResults.FindAblationVariant("w/o MoE gate"));
        Assert.Equal("w/o MTM", PaperResults.FindAblationVariant("W/O mtm"));
        Assert.Null(PaperResults.FindAblationVariant("w/o everything"));
        Assert.Equal(new Dictionary<string, string> { ["sports"] = "Sports" }, PaperResults.MatchDomainsByName(["sports", "outdoor"]));
    }

    [Fact]
    public void UnknownNamesAreReportedNotGuessed()
    {
        var e = Assert.Throws<GenCdrException>(() => PaperResults.Table2("Beauty", "GenCDR", "Recall@10"));
        Assert.Contains("Beauty", e.Message);
        Assert.Throws<GenCdrException>(() => PaperResults.Table2("Sports", "GRU4Rec", "Recall@10"));
        Assert.Throws<GenCdrException>(() => PaperResults.Ablation("Books", "w/o MTM"));
    }
}
