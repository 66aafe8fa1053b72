using GenCdr.Baselines;
using GenCdr.Data;
using GenCdr.Data.Synthetic;
using GenCdr.Recommender;
using GenCdr.Text;
using GenCdr.Tokenization;
using GenCdr.Training;

namespace GenCdr.Tests.Training;

/// <summary>A whole GenCDR run shrunk to seconds: a small generated data set, the hashed text encoder, a tiny
/// tokenizer and a one-layer recommender.</summary>
static class TinyRun
{
    public static RunConfig Config(string cacheDirectory) => new()
    {
        Data = new DataConfig { Synthetic = new SyntheticDatasetConfig { Users = 160, ItemsPerDomain = 60, MaxEventsPerDomain = 20, MeanEventsPerDomain = 8, Seed = 3 } },
        Text = new TextEncoderConfig { Kind = TextEncoderConfig.Hashed, HashedDimension = 64 },
        Tokenizer = new TokenizerConfig
        {
            HiddenDims = [64], LatentDim = 16, Levels = 2, CodebookSize = 16, Epochs = 3, AdapterEpochs = 1,
            BatchSize = 64, LoraRank = 4, LoraAlpha = 2, RouterHidden = 16, MtmEmbeddingDim = 16, MtmHidden = 32,
            KMeansSampleSize = 512,
        },
        Recommender = new RecommenderConfig
        {
            DModel = 32, Layers = 1, Heads = 2, KvHeads = 1, FfnDim = 64, MaxItems = 8, BatchSize = 32,
            BackboneEpochs = 2, UniversalEpochs = 1, DomainEpochs = 1, RouterEpochs = 1,
            ExpertRank = 2, ExpertAlpha = 4, DomainAdapterRank = 2, DomainAdapterAlpha = 4, UserRouterHidden = 8,
            BeamWidth = 10, DecodeBatchUsers = 64,
        },
        Schedule = new TrainingSchedule { ValidationQueries = 20, Patience = 5, CacheDirectory = cacheDirectory },
        SasRec = new SasRecConfig { HiddenSize = 16, MaxEpochs = 2, ValidationMaxQueries = 20 },
    };
}
