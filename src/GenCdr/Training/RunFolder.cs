using System.Text.Json;

namespace GenCdr.Training;

/// <summary>
/// The artifacts of one run, in one folder (documented in the README):
/// config.json · data/ (the prepared data set) · tokenizer/ · semantic-ids.tsv · tokenization-report.{json,txt} ·
/// recommender/ (weights, training-state.json) · sasrec/ (the main job's SASRec) · results.json · predictions.tsv ·
/// results.txt · routing.json.
/// </summary>
public sealed class RunFolder
{
    public string Root { get; }
    public RunFolder(string root) { Root = Path.GetFullPath(root); }

    public string Config => Path.Combine(Root, RunConfig.FileName);
    public string Data => Path.Combine(Root, "data");
    public string Tokenizer => Path.Combine(Root, "tokenizer");
    public string SemanticIds => Path.Combine(Root, "semantic-ids.tsv");
    public string TokenizationReport => Path.Combine(Root, "tokenization-report.json");
    public string TokenizationText => Path.Combine(Root, "tokenization-report.txt");
    public string Recommender => Path.Combine(Root, "recommender");
    public string RecommenderWeights => Path.Combine(Recommender, RecommenderTraining.FinalWeights);
    /// <summary>The main job's SASRec weights: a re-run of a finished folder loads them instead of training again.</summary>
    public string SasRecWeights => Path.Combine(Root, "sasrec", "sasrec.bin");
    public string Results => Path.Combine(Root, "results.json");
    public string Predictions => Path.Combine(Root, "predictions.tsv");
    public string ResultsText => Path.Combine(Root, "results.txt");

    public bool IsTokenized => File.Exists(SemanticIds) && File.Exists(Path.Combine(Tokenizer, GenCdr.Tokenization.ItemTokenizer.ConfigFileName));
    public bool IsTrained => File.Exists(RecommenderWeights);

    /// <summary>Creates the folder and writes the configuration; refuses a folder that already holds a run
    /// with a different configuration (its artifacts would not match), so nothing of it is overwritten.</summary>
    public void Begin(RunConfig config)
    {
        Directory.CreateDirectory(Root);
        if (File.Exists(Config))
        {
            var existing = JsonSerializer.Serialize(RunConfig.Load(Config), RunConfig.Json);
            if (existing != JsonSerializer.Serialize(config, RunConfig.Json))
                throw new GenCdrException($"{Config}: this folder holds a run with a different configuration; choose another --out (or pass --config {Config} to continue it)");
            return;
        }
        config.Save(Config);
    }

    /// <summary>Opens an existing run folder (for evaluate, recommend, export).</summary>
    public static (RunFolder Folder, RunConfig Config) Open(string root)
    {
        var folder = new RunFolder(root);
        if (!File.Exists(folder.Config)) throw new GenCdrException($"{folder.Root}: not a run folder (no {RunConfig.FileName})");
        return (folder, RunConfig.Load(folder.Config));
    }
}
