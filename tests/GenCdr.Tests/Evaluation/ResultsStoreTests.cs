using System.Text.Json;
using GenCdr.Data;
using GenCdr.Evaluation;
using Spectre.Console;

namespace GenCdr.Tests.Evaluation;

public sealed class ResultsStoreTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("gencdr-results-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static EvaluationResult Result(string model, Split split, double recall10) =>
        new(model, split,
        [
            new DomainEvaluation("a", 3, 3, new Dictionary<string, double>
                { ["Recall@5"] = 0.25, ["NDCG@5"] = 0.125, ["Recall@10"] = recall10, ["NDCG@10"] = 0.2 }),
            new DomainEvaluation("b", 2, 2, new Dictionary<string, double>
                { ["Recall@5"] = 0.5, ["NDCG@5"] = 0.3, ["Recall@10"] = 0.75, ["NDCG@10"] = 0.35 }),
        ], WallSeconds: 1.5, UsersPerSecond: 3.3);

    [Fact]
    public void SavesNestedByModelSplitDomainMetricWithTheProtocol()
    {
        string path = Path.Combine(_dir, "results.json");
        ResultsStore.Append(path, "tiny", Result("Popularity", Split.Test, 0.5), Result("Popularity", Split.Validation, 0.4));

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        Assert.Contains("fewer than 3 events", root.GetProperty("protocol").GetString());
        Assert.Equal("tiny", root.GetProperty("dataset").GetString());
        var a = root.GetProperty("models").GetProperty("Popularity").GetProperty("splits").GetProperty("test")
            .GetProperty("domains").GetProperty("a");
        Assert.Equal(0.5, a.GetProperty("metrics").GetProperty("Recall@10").GetDouble());
        Assert.Equal(3, a.GetProperty("usersEvaluated").GetInt32());

        var loaded = ResultsStore.Load(path);
        Assert.Equal(0.4, loaded.Models["Popularity"].Splits["validation"].Domains["a"].Metrics["Recall@10"]);
        Assert.Equal(1.5, loaded.Models["Popularity"].Splits["test"].WallSeconds);
    }

    [Fact]
    public void AppendReplacesTheSameModelAndSplitAndKeepsOthers()
    {
        string path = Path.Combine(_dir, "results.json");
        ResultsStore.Append(path, "tiny", Result("Popularity", Split.Test, 0.5));
        ResultsStore.Append(path, "tiny", Result("SASRec", Split.Test, 0.9));
        var doc = ResultsStore.Append(path, "tiny", Result("Popularity", Split.Test, 0.6));
        Assert.Equal(["Popularity", "SASRec"], doc.Models.Keys.Order());
        Assert.Equal(0.6, ResultsStore.Load(path).Models["Popularity"].Splits["test"].Domains["a"].Metrics["Recall@10"]);
    }

    [Fact]
    public void BadFileIsAUserError()
    {
        string path = Path.Combine(_dir, "broken.json");
        File.WriteAllText(path, "{\n  \"models\": [ oops");
        var e = Assert.Throws<GenCdrException>(() => ResultsStore.Load(path));
        Assert.StartsWith(path + ":2:", e.Message);
    }

    [Fact]
    public void TableHasARowPerModelAndFourColumnsPerDomain()
    {
        var doc = new ResultsDocument { Dataset = "tiny" };
        doc.Add(Result("Popularity", Split.Test, 0.5));
        doc.Add(Result("SASRec", Split.Test, 0.875));
        doc.Add(Result("OnlyValidation", Split.Validation, 0.1));
        var table = ResultsStore.RenderTable(doc, Split.Test);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(1 + 2 * 4, table.Columns.Count);

        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        console.Write(table);
        string text = writer.ToString();
        Assert.Contains("a R@10", text);
        Assert.Contains("b N@5", text);
        Assert.Contains("0.8750", text);
        Assert.DoesNotContain("OnlyValidation", text);
    }
}
