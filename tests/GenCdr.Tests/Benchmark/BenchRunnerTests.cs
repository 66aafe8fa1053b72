using GenCdr.Baselines;
using GenCdr.Benchmark;
using GenCdr.Data.Synthetic;
using GenCdr.Data;
using GenCdr.Evaluation;
using GenCdr.Recommender;
using GenCdr.Text;
using GenCdr.Tokenization;
using GenCdr.Training;

namespace GenCdr.Tests.Benchmark;

public sealed class BenchRunnerTests(BenchRunnerFixture fixture) : IClassFixture<BenchRunnerFixture>
{
    static readonly string[] AllModels =
    [
        "Popularity", "RecentSameDomain", "SASRec", "SASRec (BCE)", "BERT4Rec", "HSTU", "STOSA", "STOSA (BPR)", "C2DSR", "TriCDR", "LLM4CDSR-style, MiniLM embeddings", "VQ-Rec", "TIGER", "GenCDR", "GenCDR (mixed P_dom)", "GenCDR (paper-length LoRA stages)", "GenCDR (router fit on held-out events)",
        "GenCDR (collaborative item adapters)", "GenCDR (in-domain backbone)", "GenCDR (full softmax)", "GenCDR w/o MTM", "GenCDR w/o Item Adapter", "GenCDR w/o Specific Expert", "GenCDR w/o Universal Experts", "GenCDR w/o Cross-Domain History", "GenCDR w/o MoE Gate (Avg.)", "GenCDR w/o Prefix Tree",
    ];

    [Fact]
    public void Every_model_of_the_suite_has_test_results_and_the_report_is_written()
    {
        var outcome = fixture.First;
        Assert.Equal(AllModels, outcome.Ran);
        Assert.Empty(outcome.Cached);
        Assert.Empty(outcome.Skipped);
        foreach (var model in AllModels)
        {
            var test = outcome.Results.Models[model].Splits["test"];
            Assert.Equal(["outdoor", "apparel"], test.Domains.Keys);
            Assert.All(test.Domains.Values, d => Assert.InRange(d.Metrics["Recall@10"], 0, 1));
            Assert.True(test.Domains.Values.All(d => d.UsersEvaluated > 0), model);
        }
        Assert.True(File.Exists(Path.Combine(outcome.Folder, BenchReport.ReportFile)));
        string report = File.ReadAllText(outcome.Report.ReportPath);
        Assert.Contains("GenCDR w/o MoE Gate (Avg.)", report);
        Assert.Contains("encoder–decoder T5", report);
        Assert.NotNull(outcome.Report.Figures.TrainingLoss);
        Assert.NotNull(outcome.Report.Figures.ItemLatents); // the full model's tokenizer has adapters
    }

    [Fact]
    public void Costs_are_measured_per_model()
    {
        foreach (var record in fixture.First.Models)
        {
            Assert.True(record.RunInfo.PeakMemoryMb > 50, record.Model); // the .NET runtime alone is larger
            Assert.True(record.RunInfo.DecodeUsersPerSecond > 0, record.Model);
        }
        var gencdr = fixture.First.Models.Single(m => m.Model == "GenCDR").RunInfo;
        Assert.True(gencdr.TrainSeconds > 0);
        Assert.Equal(["tokenizer (RQ-VAE)", "recommender backbone", "recommender universal", "recommender domain-0",
            "recommender router-0", "recommender domain-1", "recommender router-1"], gencdr.LossCurves.Keys);
        Assert.Equal(["tokenizer (RQ-VAE)", "recommender backbone"], fixture.First.Models.Single(m => m.Model == "TIGER").RunInfo.LossCurves.Keys);
        Assert.Single(fixture.First.Models.Single(m => m.Model == "SASRec").RunInfo.LossCurves["SASRec"]);
    }

    [Fact]
    public void Variants_with_the_same_tokenizer_settings_share_one_tokenizer()
    {
        // full model (+ the three recommender ablations), the collaborative adapters, w/o MTM, w/o item adapter, TIGER:
        // five tokenizers trained
        var tokenizers = fixture.Trainings.Where(t => t.What == "tokenizer").Select(t => t.Model).ToList();
        Assert.Equal(["TIGER", "GenCDR", "GenCDR (collaborative item adapters)", "GenCDR w/o MTM", "GenCDR w/o Item Adapter"], tokenizers);
        Assert.Equal(5, Directory.GetDirectories(Path.Combine(fixture.Root, "tokenizations")).Length);
        var folder = new BenchFolder(fixture.Root);
        string full = File.ReadAllText(new RunFolder(folder.ModelFolder("GenCDR")).SemanticIds);
        foreach (var model in new[] { "GenCDR w/o Specific Expert", "GenCDR w/o Universal Experts", "GenCDR w/o MoE Gate (Avg.)" })
            Assert.Equal(full, File.ReadAllText(new RunFolder(folder.ModelFolder(model)).SemanticIds));
        Assert.NotEqual(full, File.ReadAllText(new RunFolder(folder.ModelFolder("GenCDR w/o MTM")).SemanticIds));
        Assert.NotEqual(full, File.ReadAllText(new RunFolder(folder.ModelFolder("GenCDR (collaborative item adapters)")).SemanticIds));
    }

    [Fact]
    public void Variants_with_the_same_tokenizer_and_backbone_settings_share_the_backbone_stage()
    {
        var backbones = fixture.Trainings.Where(t => t.What == "backbone").Select(t => t.Model).ToList();
        // the in-domain backbone and the full softmax change stage 0 itself, so each trains its own
        Assert.Equal(["TIGER", "GenCDR", "GenCDR (collaborative item adapters)", "GenCDR (in-domain backbone)", "GenCDR (full softmax)",
            "GenCDR w/o MTM", "GenCDR w/o Item Adapter"], backbones);
        var folder = new BenchFolder(fixture.Root);
        TrainingState State(string model) =>
            TrainingState.Load(Path.Combine(new RunFolder(folder.ModelFolder(model)).Recommender, RecommenderTraining.StateFile));
        var full = State("GenCDR");
        foreach (var model in new[] { "GenCDR w/o Specific Expert", "GenCDR w/o Universal Experts", "GenCDR w/o MoE Gate (Avg.)" })
        {
            var state = State(model);
            Assert.Equal(full.History.Where(e => e.Stage == "backbone"), state.History.Where(e => e.Stage == "backbone"));
            Assert.Contains(fixture.Trainings, t => t.Model == model && t.What.StartsWith("recommender stages"));
        }
        // each variant then trained only its own later stages
        Assert.Equal(["backbone", "universal"], State("GenCDR w/o Specific Expert").CompletedStages);
        Assert.Equal(["backbone", "domain-0", "domain-1"], State("GenCDR w/o Universal Experts").CompletedStages);
        // the ablation of cross-domain history shares the in-domain backbone and trains only the domain passes
        Assert.Equal(State("GenCDR (in-domain backbone)").History.Where(e => e.Stage == "backbone"),
            State("GenCDR w/o Cross-Domain History").History.Where(e => e.Stage == "backbone"));
        Assert.NotEqual(full.History.Where(e => e.Stage == "backbone"), State("GenCDR (in-domain backbone)").History.Where(e => e.Stage == "backbone"));
        Assert.Equal(["backbone", "domain-0", "domain-1"], State("GenCDR w/o Cross-Domain History").CompletedStages);
        Assert.DoesNotContain(fixture.Trainings, t => t.Model == "TIGER" && t.What.StartsWith("recommender stages"));
    }

    [Fact]
    public void The_prefix_tree_ablation_reuses_the_full_models_weights_and_reports_invalid_ids()
    {
        Assert.DoesNotContain(fixture.Trainings, t => t.Model == "GenCDR w/o Prefix Tree");
        var record = fixture.First.Models.Single(m => m.Model == "GenCDR w/o Prefix Tree");
        Assert.Equal(0, record.RunInfo.TrainSeconds);
        Assert.Matches(@"GenCDR w/o Prefix Tree: the weights of GenCDR decoded without the prefix tree; [\d,]+ of [\d,]+ generated SIDs", record.Note);
        Assert.False(Directory.Exists(Path.Combine(new BenchFolder(fixture.Root).ModelFolder("GenCDR w/o Prefix Tree"), "recommender")));
    }

    [Fact]
    public void A_cached_rerun_trains_nothing_and_reports_the_same_results()
    {
        var weights = Directory.GetFiles(fixture.Root, "*.bin", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(fixture.Root, "*.safetensors", SearchOption.AllDirectories))
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.NotEmpty(weights);

        var trainings = new List<(string, string)>();
        var again = BenchRunnerFixture.Run(fixture.Suite, fixture.Root, trainings);

        Assert.Empty(trainings);
        Assert.Empty(again.Ran);
        Assert.Equal(fixture.First.Ran, again.Cached);
        foreach (var (file, time) in weights) Assert.Equal(time, File.GetLastWriteTimeUtc(file));
        foreach (var model in fixture.First.Ran)
            Assert.Equal(fixture.First.Results.Models[model].Splits["test"].Domains["apparel"].Metrics["NDCG@10"],
                again.Results.Models[model].Splits["test"].Domains["apparel"].Metrics["NDCG@10"]);
        Assert.True(File.Exists(again.Report.ReportPath));
    }

    [Fact]
    public void A_folder_of_another_suite_configuration_is_refused()
    {
        var other = fixture.Suite with { SasRec = fixture.Suite.SasRec with { MaxEpochs = 2 } };
        var error = Assert.Throws<GenCdrException>(() => BenchRunnerFixture.Run(other, fixture.Root, [], only: ["Popularity"]));
        Assert.Contains("suite.json", error.Message);
    }
}

/// <summary>A tiny suite (200 generated users, hashed text vectors, one epoch per stage, d=32) and a bench
/// folder in which every model of the suite has been run once, shared by the runner tests.</summary>
public sealed class BenchRunnerFixture : IDisposable
{
    public static BenchSuite TinySuite() => new()
    {
        Name = "tiny",
        GenCdr = new RunConfig
        {
            Data = new DataConfig { Synthetic = new SyntheticDatasetConfig { Users = 200, ItemsPerDomain = 80 } },
            Text = new TextEncoderConfig { Kind = TextEncoderConfig.Hashed, HashedDimension = 64 },
            Tokenizer = new TokenizerConfig
            {
                HiddenDims = [32], LatentDim = 16, CodebookSize = 16, Epochs = 2, AdapterEpochs = 1, BatchSize = 128,
                KMeansIterations = 3, LoraRank = 4, LoraAlpha = 2, RouterHidden = 16, MtmEmbeddingDim = 16, MtmHidden = 32,
            },
            Recommender = new RecommenderConfig
            {
                DModel = 32, Layers = 1, Heads = 4, KvHeads = 2, FfnDim = 64, ExpertRank = 4, ExpertAlpha = 8,
                DomainAdapterRank = 4, DomainAdapterAlpha = 8, UserRouterHidden = 16, BatchSize = 32, BeamWidth = 10,
                BackboneEpochs = 1, UniversalEpochs = 1, DomainEpochs = 1, RouterEpochs = 1,
            },
            Schedule = new TrainingSchedule { ValidationQueries = 20 },
            Evaluation = new EvaluationOptions { BatchSize = 128 },
        },
        SasRec = new SasRecConfig { HiddenSize = 16, MaxEpochs = 1, ValidationMaxQueries = 20 },
        SasRecOriginal = SasRecConfig.Original with { HiddenSize = 16, MaxEpochs = 2, ValidationMaxQueries = 20 },
        Bert4Rec = new Bert4RecConfig { HiddenSize = 16, InnerSize = 32, MaxEpochs = 1, ValidationMaxQueries = 20 },
        Provenance = "tiny generated data for tests",
    };

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "gencdr-bench-" + Guid.NewGuid().ToString("N"));
    public BenchSuite Suite { get; } = TinySuite();
    public BenchOutcome First { get; }
    public List<(string Model, string What)> Trainings { get; } = [];

    public BenchRunnerFixture()
    {
        First = Run(Suite, Root, Trainings);
    }

    public static BenchOutcome Run(BenchSuite suite, string root, List<(string, string)> trainings, IReadOnlyCollection<string>? only = null) =>
        BenchRunner.Run(suite, BenchModels.For(suite), new BenchOptions
        {
            Out = root,
            Only = only,
            Observer = new BenchObserver { TrainingStarted = (model, what) => trainings.Add((model, what)) },
        });

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
