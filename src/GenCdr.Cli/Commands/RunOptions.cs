using System.CommandLine;
using GenCdr.Recommender;

namespace GenCdr.Cli.Commands;

/// <summary>The options that build a run's <see cref="RunConfig"/>: a config file, the data options, the text
/// encoder, and the ablation switches of the paper's Table 3.</summary>
sealed class RunOptions
{
    public readonly DataOptions Data = new();
    public readonly Option<string?> Config = new("--config") { Description = "A config.json to start from (e.g. one written by an earlier run)." };
    public readonly Option<string?> Out = Cli.OutOption("the run's artifacts");
    public readonly Option<string?> TextEncoder = new("--text-encoder") { Description = "minilm (default, all-MiniLM-L6-v2), hashed (fast, no model), or onnx (with --config's ModelPath/VocabPath)." };
    public readonly Option<int?> Seed = new("--seed") { Description = "Seed of every random choice (data sampling excepted)." };
    public readonly Option<bool> NoMtm = new("--no-mtm") { Description = "Ablation: no masked token modelling loss in the RQ-VAE." };
    public readonly Option<bool> NoItemAdapter = new("--no-item-adapter") { Description = "Ablation: universal item latents only (no domain adapters, no item router)." };
    public readonly Option<bool> NoUniversalExperts = new("--no-universal-experts") { Description = "Ablation: no universal LoRA experts." };
    public readonly Option<bool> NoDomainExpert = new("--no-domain-expert") { Description = "Ablation: no domain LoRA adapters and no user router." };
    public readonly Option<ExpertGate?> ExpertGateOption = new("--expert-gate") { Description = "MoE (default) or Average (ablation: plain average of the universal experts)." };
    public readonly Option<string?> Backbone = new("--backbone")
    {
        Description = "A Hugging Face Qwen2-family checkpoint folder (config.json + model.safetensors or a sharded index) as the frozen " +
                      "backbone, the paper's setting: no stage 0, the transformer's shape from its config.json, and, unless --config is given, " +
                      "the paper's LoRA settings (token layout, K = 4 experts of rank 64, α 128, 10 epochs per stage, lr 1e-4, batch 8).",
    };
    public readonly Option<bool> PromptItemText = new("--prompt-item-text")
    {
        Description = "With --backbone: write each history item's text (tokenized with the checkpoint's tokenizer.json) into the prompt after " +
                      "its SID, as the paper's prompt does; without it the prompt is SID tokens only.",
    };
    public readonly Option<bool> NoPrefixTree = new("--no-prefix-tree") { Description = "Ablation: unconstrained beam search; invalid SIDs are counted and dropped." };
    public readonly Option<string?> Device = Cli.DeviceOption("--config's Device, or cpu");

    public void AddTo(Command command)
    {
        Data.AddTo(command);
        foreach (var option in new Option[] { Config, Out, TextEncoder, Seed, NoMtm, NoItemAdapter, NoUniversalExperts, NoDomainExpert, ExpertGateOption, NoPrefixTree, Backbone, PromptItemText, Device })
            command.Options.Add(option);
    }

    public RunConfig Build(ParseResult parse)
    {
        var config = parse.GetValue(Config) is { } path ? RunConfig.Load(path) : new RunConfig();
        config = config with { Data = Data.Apply(parse, config.Data) };
        if (parse.GetValue(PromptItemText)) config = config with { Recommender = config.Recommender with { PromptItemText = true } };
        if (parse.GetValue(Backbone) is { } backbone)
        {
            var recommender = parse.GetValue(Config) is null ? config.Recommender.WithPaperLoraSettings() : config.Recommender;
            config = config with { Recommender = Qwen2CheckpointLoader.ReadConfig(backbone, recommender) };
        }
        if (parse.GetValue(TextEncoder) is { } kind) config = config with { Text = config.Text with { Kind = kind } };
        if (parse.GetValue(Seed) is { } seed)
            config = config with
            {
                Tokenizer = config.Tokenizer with { Seed = seed },
                Recommender = config.Recommender with { Seed = seed },
                Data = config.Data with { Synthetic = config.Data.Synthetic with { Seed = seed } },
            };
        if (parse.GetValue(NoMtm)) config = config with { Tokenizer = config.Tokenizer with { UseMtm = false } };
        if (parse.GetValue(NoItemAdapter)) config = config with { Tokenizer = config.Tokenizer with { UseItemAdapters = false } };
        if (parse.GetValue(NoUniversalExperts)) config = config with { Recommender = config.Recommender with { UseUniversalExperts = false } };
        if (parse.GetValue(NoDomainExpert)) config = config with { Recommender = config.Recommender with { UseDomainExperts = false } };
        if (parse.GetValue(ExpertGateOption) is { } gate) config = config with { Recommender = config.Recommender with { ExpertGate = gate } };
        if (parse.GetValue(NoPrefixTree)) config = config with { Recommender = config.Recommender with { UsePrefixTree = false } };
        config = Cli.ApplyDevice(parse, Device, config);
        config.Validate();   // the options too, before any work starts
        return config;
    }
}
