using GenCdr.Data;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Evaluation;

public sealed class PredictionsWriterTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("gencdr-pred-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WritesOneLinePerEvaluatedQueryWithRawIds()
    {
        var data = TinyData.Create();
        var test = Evaluator.Evaluate(new FakeRecommender(data, Split.Test, FakeRecommender.ThirdPlace), data, Split.Test,
            new EvaluationOptions { Ks = [3] });
        var validation = Evaluator.Evaluate(new FakeRecommender(data, Split.Validation, FakeRecommender.Perfect), data,
            Split.Validation, new EvaluationOptions { Ks = [2], Domains = ["b"] });
        string path = Path.Combine(_dir, "out", "predictions.tsv");

        PredictionsWriter.Write(path, data, test, validation);

        var lines = File.ReadAllLines(path);
        Assert.Equal(
        [
            "model\tuser\tdomain\tsplit\tranked_items\theld_out_item",
            "Fake\tu0\ta\ttest\tA0,A1,A4\tA4",   // test targets: u0 → A4, u1 → A2, u3 → A0 (third place each)
            "Fake\tu1\ta\ttest\tA0,A1,A2\tA2",
            "Fake\tu3\ta\ttest\tA1,A2,A0\tA0",
            "Fake\tu0\tb\ttest\tB0,B1,B2\tB2",
            "Fake\tu3\tb\ttest\tB0,B1,B2\tB2",
            "Fake\tu0\tb\tvalidation\tB1,B0\tB1",
            "Fake\tu3\tb\tvalidation\tB3,B0\tB3",
        ], lines);
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));   // no temp file left
    }
}
