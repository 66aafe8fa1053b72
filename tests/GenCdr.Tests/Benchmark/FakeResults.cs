using GenCdr.Evaluation;

namespace GenCdr.Tests.Benchmark;

/// <summary>A small hand-made results document: a few models in "sports" (a paper domain) and "Beauty"
/// (not one), with chosen Recall@10 and NDCG@10 so that every verdict and drop is known.</summary>
static class FakeResults
{
    public static ResultsDocument Create()
    {
        var doc = new ResultsDocument { Dataset = "fake" };
        // model → (sports R@10, sports N@10, Beauty R@10, Beauty N@10)
        Add(doc, "Popularity", 0.0100, 0.0050, 0.0100, 0.0050);
        Add(doc, "SASRec", 0.0600, 0.0300, 0.0200, 0.0100);
        Add(doc, "GenCDR", 0.0500, 0.0400, 0.0300, 0.0200);
        Add(doc, "TIGER", 0.0400, 0.0350, 0.0300, 0.0150);
        Add(doc, "GenCDR w/o MTM", 0.0450, 0.0300, 0.0250, 0.0250);
        return doc;
    }

    static void Add(ResultsDocument doc, string model, double sportsR10, double sportsN10, double beautyR10, double beautyN10)
    {
        doc.Add(new EvaluationResult(model, GenCdr.Data.Split.Test,
        [
            new DomainEvaluation("sports", 200, 250, Metrics(sportsR10, sportsN10)),
            new DomainEvaluation("Beauty", 120, 120, Metrics(beautyR10, beautyN10)),
        ], WallSeconds: 2.5, UsersPerSecond: 128.0));
    }

    /// <summary>R@5 and N@5 are derived so that the 4-decimal formatting is exercised (0.123456 → 0.1235).</summary>
    static Dictionary<string, double> Metrics(double r10, double n10) => new()
    {
        ["Recall@5"] = r10 / 2 + 0.0000456,
        ["NDCG@5"] = n10 / 2,
        ["Recall@10"] = r10,
        ["NDCG@10"] = n10,
    };
}
