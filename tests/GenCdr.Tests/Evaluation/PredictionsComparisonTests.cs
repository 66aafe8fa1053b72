using GenCdr.Evaluation;
using GenCdr.Tests.Data;

namespace GenCdr.Tests.Evaluation;

public class PredictionsComparisonTests
{
    static string File(TempFolder dir, string name, params string[] rows) => dir.Write(name, [PredictionsWriter.Header, .. rows]);

    [Fact]
    public void B_minus_A_is_paired_over_the_users_both_ranked_and_other_models_and_splits_are_ignored()
    {
        using var dir = new TempFolder();
        var a = File(dir, "a.tsv",
            "GenCDR\tu1\tx\ttest\ti1,i2\ti1", "GenCDR\tu2\tx\ttest\ti3,i1\ti1", "GenCDR\tu3\tx\ttest\ti2\ti9", "GenCDR\tu4\tx\ttest\ti2\ti2",
            "SASRec\tu1\tx\ttest\ti9\ti1", "GenCDR\tu1\tx\tvalidation\ti9\ti5");
        var b = File(dir, "b.tsv",
            "GenCDR\tu1\tx\ttest\ti1\ti1", "GenCDR\tu2\tx\ttest\ti1\ti1", "GenCDR\tu3\tx\ttest\ti9\ti9", "GenCDR\tu5\tx\ttest\ti1\ti1");
        var rows = PredictionsComparison.Compare(PredictionsComparison.Read(a), PredictionsComparison.Read(b), k: 10, out int unpaired);
        var x = Assert.Single(rows);
        Assert.Equal(2, unpaired);                           // u4 only in A, u5 only in B
        Assert.Equal(3, x.Recall.Users);
        Assert.Equal(2.0 / 3, x.RecallA, 12);                // u1, u2 hit; u3 missed
        Assert.Equal(1.0, x.RecallB, 12);
        Assert.Equal(1.0 / 3, x.Recall.Difference, 12);
        // NDCG: A has u1 at rank 0 (1), u2 at rank 1 (1/log2 3); B has all three at rank 0
        Assert.Equal((3 - 1 - 1 / Math.Log2(3)) / 3, x.Ndcg.Difference, 12);
        Assert.True(x.Recall.Low <= x.Recall.Difference && x.Recall.Difference <= x.Recall.High);
        // k = 1 drops A's u2 (rank 1)
        Assert.Equal(2.0 / 3, PredictionsComparison.Compare(PredictionsComparison.Read(a), PredictionsComparison.Read(b), 1, out _)[0].Recall.Difference, 12);
        Assert.Equal(-1.0, PredictionsComparison.Compare(PredictionsComparison.Read(a), PredictionsComparison.Read(a, "SASRec"), 10, out _)[0].Recall.Difference, 12);
    }

    [Fact]
    public void Bad_files_are_one_clear_line_naming_the_file_and_line()
    {
        using var dir = new TempFolder();
        var broken = File(dir, "broken.tsv", "GenCDR\tu1\tx\ttest\ti1");
        Assert.Contains("broken.tsv:2", Assert.Throws<GenCdrException>(() => PredictionsComparison.Read(broken)).Message);
        var a = File(dir, "a.tsv", "GenCDR\tu1\tx\ttest\ti1\ti1");
        var other = File(dir, "other.tsv", "GenCDR\tu1\tx\ttest\ti1\ti2");
        Assert.Contains("hold out different items", Assert.Throws<GenCdrException>(() =>
            PredictionsComparison.Compare(PredictionsComparison.Read(a), PredictionsComparison.Read(other), 10, out _)).Message);
        Assert.Contains("no test rows for model 'BERT4Rec'", Assert.Throws<GenCdrException>(() => PredictionsComparison.Read(a, "BERT4Rec")).Message);
    }
}
