using GenCdr.Data;
using GenCdr.Data.Synthetic;
using GenCdr.Recommender;
using GenCdr.Serving;
using GenCdr.Text;
using GenCdr.Tokenization;
using GenCdr.Training;

namespace GenCdr.Tests.Serving;

/// <summary>A tiny GenCDR trained once per test run (a few seconds) and exported as a bundle. Tests that change a
/// bundle work on a <see cref="CopyBundle"/>.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"gencdr-serving-{Guid.NewGuid():N}");
    public string RunDirectory => Path.Combine(Root, "run");
    public string BundleDirectory => Path.Combine(Root, "model.gcdr");
    public RunConfig Config { get; }

    public TrainedModelFixture()
    {
        Config = new RunConfig
        {
            Data = new DataConfig { Synthetic = new SyntheticDatasetConfig { Users = 300, ItemsPerDomain = 150 } },
            Text = new TextEncoderConfig { Kind = TextEncoderConfig.Hashed, HashedDimension = 128 },
            Tokenizer = new TokenizerConfig
            {
                CodebookSize = 16, Levels = 3, HiddenDims = [64], LatentDim = 16, Epochs = 3, AdapterEpochs = 2,
                BatchSize = 128, MtmHidden = 32, MtmEmbeddingDim = 16, RouterHidden = 16, LoraRank = 4,
            },
            Recommender = new RecommenderConfig
            {
                DModel = 32, Layers = 1, Heads = 2, KvHeads = 1, FfnDim = 64, BackboneEpochs = 2, UniversalEpochs = 1,
                DomainEpochs = 1, RouterEpochs = 1, NumUniversalExperts = 2, ExpertRank = 2, DomainAdapterRank = 2,
                UserRouterHidden = 8, BeamWidth = 10,
            },
            Schedule = new TrainingSchedule { ValidationQueries = 50, CacheDirectory = Path.Combine(Root, "cache") },
        };
        var folder = new RunFolder(RunDirectory);
        folder.Begin(Config);
        var data = GenCdrPipeline.Data(Config, folder);
        var (_, table) = GenCdrPipeline.Tokenize(data, Config, folder);
        var sids = new SemanticIds(data, table, Config.Tokenizer.CodebookSize);
        GenCdrPipeline.Train(data, sids, Config, folder).Dispose();
        ModelBundle.Export(RunDirectory, BundleDirectory);
    }

    /// <summary>A fresh copy of the exported bundle, for tests that change or break it.</summary>
    public string CopyBundle()
    {
        string copy = Path.Combine(Root, $"copy-{Guid.NewGuid():N}.gcdr");
        foreach (var file in Directory.EnumerateFiles(BundleDirectory, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(BundleDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedModelCollection : ICollectionFixture<TrainedModelFixture>
{
    public const string Name = "trained GenCDR bundle";
}
