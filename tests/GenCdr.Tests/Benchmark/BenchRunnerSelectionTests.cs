using GenCdr.Baselines;
using GenCdr.Benchmark;
using GenCdr.Tests.Data;
using GenCdr.Tests.Serving.Contract;

namespace GenCdr.Tests.Benchmark;

public sealed class BenchRunnerSelectionTests
{
    [Fact]
    public void Only_runs_the_named_models_matching_names_ignoring_case()
    {
        using var temp = new TempFolder();
        var trainings = new List<(string Model, string What)>();
        var outcome = BenchRunnerFixture.Run(BenchRunnerFixture.TinySuite(), temp.Path, trainings, only: ["recentsamedomain", "POPULARITY"]);

        Assert.Equal(["Popularity", "RecentSameDomain"], outcome.Ran); // suite order, not the order asked
        Assert.Equal(["Popularity", "RecentSameDomain"], outcome.Results.Models.Keys.Order());
        Assert.Equal(["Popularity", "RecentSameDomain"], trainings.Select(t => t.Model));
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "tokenizations")));
        Assert.True(File.Exists(outcome.Report.ReportPath));

        // a later --only run trains only its model, and the report keeps the models finished before
        trainings.Clear();
        var later = BenchRunnerFixture.Run(BenchRunnerFixture.TinySuite(), temp.Path, trainings, only: ["sasrec"]);
        Assert.Equal(["SASRec"], later.Ran);
        Assert.Equal(["SASRec"], trainings.Select(t => t.Model).Distinct());
        Assert.Equal(["Popularity", "RecentSameDomain"], later.Cached);
        Assert.Equal(["Popularity", "RecentSameDomain", "SASRec"], later.Results.Models.Keys.Order());
        Assert.Contains("| SASRec |", File.ReadAllText(later.Report.ReportPath));
    }

    [Fact]
    public void An_unknown_model_name_is_an_error_that_lists_the_models()
    {
        using var temp = new TempFolder();
        var error = Assert.Throws<GenCdrException>(() => BenchRunnerFixture.Run(BenchRunnerFixture.TinySuite(), temp.Path, [], only: ["BERT5Rec"]));
        Assert.Contains("'BERT5Rec'", error.Message);
        Assert.Contains("'GenCDR w/o Prefix Tree'", error.Message);
    }

    [Fact]
    public void The_budget_stops_new_models_and_the_report_names_them()
    {
        using var temp = new TempFolder();
        var clock = new ManualClock();
        var trained = new List<string>();
        IBenchModel[] models = [new SlowModel("A", clock, trained), new SlowModel("B", clock, trained), new SlowModel("C", clock, trained)];
        var suite = BenchRunnerFixture.TinySuite();

        var outcome = BenchRunner.Run(suite, models, new BenchOptions { Out = temp.Path, Budget = TimeSpan.FromMinutes(5), Time = clock });

        Assert.Equal(["A"], outcome.Ran);           // A takes 10 "minutes": B and C are not started
        Assert.Equal(["B", "C"], outcome.Skipped);
        Assert.Equal(["A"], trained);
        Assert.Contains("Not run (the time budget of 5 min was used up): B, C.", File.ReadAllText(outcome.Report.ReportPath));

        // a later run without a budget finishes the rest and keeps A
        var rest = BenchRunner.Run(suite, models, new BenchOptions { Out = temp.Path, Time = clock });
        Assert.Equal(["A"], rest.Cached);
        Assert.Equal(["B", "C"], rest.Ran);
        Assert.Equal(["A", "B", "C"], trained);
    }

    [Theory]
    [InlineData("GenCDR w/o MoE Gate (Avg.)", "gencdr-wo-moe-gate-avg")]
    [InlineData("SASRec", "sasrec")]
    [InlineData("GenCDR", "gencdr")]
    public void Model_folders_have_safe_names(string model, string folder) => Assert.Equal(folder, BenchFolder.Slug(model));

    [Fact]
    public void The_suites_resolve_and_an_unknown_one_is_an_error()
    {
        var sports = BenchSuites.Resolve("Sports-Clothing", "/data");
        Assert.Equal("sports-clothing", sports.Data.Source);
        Assert.Equal("/data", sports.Data.DataRoot);
        Assert.Contains("IDGenRec", sports.Provenance);
        Assert.Equal("clothing-beauty", BenchSuites.Resolve("clothing-beauty").Data.Source);
        Assert.Equal("builtin", BenchSuites.Resolve("builtin").Data.Source);
        Assert.Contains("sports-clothing", Assert.Throws<GenCdrException>(() => BenchSuites.Resolve("movies")).Message);
    }

    [Fact]
    public void The_shipped_amazon_config_is_the_schedule_of_the_amazon_suites()
    {
        var shipped = RunConfig.Load(Path.Combine(ServedDocument.RepositoryRoot(), "configs", "amazon-cpu.json"));
        foreach (var suite in new[] { "sports-clothing", "clothing-beauty" })
            Assert.Equal(shipped.Recommender, BenchSuites.Resolve(suite).GenCdr.Recommender);
        Assert.NotEqual(new RunConfig().Recommender, shipped.Recommender);
    }

    [Fact]
    public void The_shipped_designed_config_is_the_data_and_schedule_of_the_designed_suite()
    {
        var shipped = RunConfig.Load(Path.Combine(ServedDocument.RepositoryRoot(), "configs", "builtin-designed-receiving.json"));
        var suite = BenchSuites.Resolve("builtin-designed");
        Assert.Equal(suite.GenCdr.Data.Synthetic, shipped.Data.Synthetic);
        Assert.Equal(suite.GenCdr.Recommender, shipped.Recommender);
        Assert.Equal(suite.GenCdr.Schedule, shipped.Schedule);
        Assert.Equal(suite.SasRec, shipped.SasRec);
        Assert.NotEqual(BenchSuites.Resolve("builtin").GenCdr.Data.Synthetic, shipped.Data.Synthetic);
        Assert.Equal(BenchSuites.Resolve("builtin").GenCdr.Recommender, suite.GenCdr.Recommender);
    }

    [Fact]
    public void Every_shipped_config_loads_strictly_and_the_designed_pair_differs_only_in_the_domain_pass()
    {
        string root = ServedDocument.RepositoryRoot();
        var configs = Directory.GetFiles(Path.Combine(root, "configs"), "*.json");
        Assert.NotEmpty(configs);
        foreach (var path in configs) RunConfig.Load(path); // unknown fields and out-of-range values throw
        var mixed = RunConfig.Load(Path.Combine(root, "configs", "builtin-designed.json"));
        var inDomain = RunConfig.Load(Path.Combine(root, "configs", "builtin-designed-indomain.json"));
        Assert.Equal(0.5, mixed.Data.Synthetic.LocalTasteFraction);
        var expected = mixed with { Recommender = mixed.Recommender with { DomainPassHistory = GenCdr.Recommender.HistoryView.InDomain } };
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected, RunConfig.Json), System.Text.Json.JsonSerializer.Serialize(inDomain, RunConfig.Json));
    }

    /// <summary>A clock that only moves when told.</summary>
    sealed class ManualClock : TimeProvider
    {
        DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public void Advance(TimeSpan by) => _now += by;
        public override DateTimeOffset GetUtcNow() => _now;
    }

    /// <summary>Popularity under another name, whose training takes 10 minutes of the manual clock.</summary>
    sealed class SlowModel(string name, ManualClock clock, List<string> trained) : IBenchModel
    {
        public string Name => name;

        public TrainedBenchModel Train(BenchContext context)
        {
            trained.Add(name);
            clock.Advance(TimeSpan.FromMinutes(10));
            return new TrainedBenchModel(new PopularityRecommender(context.Data));
        }
    }
}
