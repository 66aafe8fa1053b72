using System.CommandLine;
using GenCdr.Benchmark;
using GenCdr.Decoding;
using GenCdr.Recommender;
using Spectre.Console;

namespace GenCdr.Cli.Commands;

/// <summary><c>gencdr bench speed</c>: training tokens/s per stage and decoding users/s against the item-pool size
/// (paper Fig. 6) for the default recommender, on random SIDs (no data needed).</summary>
static class SpeedCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "A config.json whose Recommender section is measured (default: the defaults)." };
        var users = new Option<int>("--users") { Description = "Users decoded per measurement.", DefaultValueFactory = _ => 256 };
        var pools = new Option<int[]>("--items") { Description = "Item-pool sizes of the decoding curve.", DefaultValueFactory = _ => [1_000, 10_000, 100_000], AllowMultipleArgumentsPerToken = true };
        var backbone = new Option<string?>("--backbone") { Description = "A Qwen2-family checkpoint folder: measure the recommender on it (its shape and weights; the LoRA settings from --config or the paper's)." };
        var command = new Command("speed", "Training tokens/s per stage and decode users/s for item pools of growing size (the cost must stay flat).");
        foreach (var option in new Option[] { config, users, pools, backbone }) command.Options.Add(option);
        command.SetGuardedAction(parse =>
        {
            Cli.ApplyThreads(parse);
            var run = parse.GetValue(config) is { } path ? RunConfig.Load(path) : new RunConfig();
            var recommender = run.Recommender;
            if (parse.GetValue(backbone) is { } checkpoint)
                recommender = Qwen2CheckpointLoader.ReadConfig(checkpoint, parse.GetValue(config) is null ? recommender.WithPaperLoraSettings() : recommender);
            recommender.Validate();
            // the default tokenizer's shape: 2 domains, M levels + 1 disambiguation level, K codes per level
            var vocabulary = new SidVocabulary(2, run.Tokenizer.Levels + 1, run.Tokenizer.CodebookSize);
            var table = new Table { Title = new TableTitle($"d={recommender.DModel}, {recommender.Layers} layers, batch {recommender.BatchSize}, {recommender.MaxItems}-item histories, torch threads {TorchSharp.torch.get_num_threads()}") };
            foreach (var column in new[] { "measurement", "per wall second", "per CPU second" }) table.AddColumn(column);
            void Add(Throughput t) => table.AddRow(Markup.Escape(t.What), $"{t.PerWallSecond:F1} {t.Unit}", $"{t.PerCpuSecond:F1} {t.Unit}");
            AnsiConsole.Status().Start("measuring training …", _ => { foreach (var t in SpeedBenchmark.Training(recommender, vocabulary)) Add(t); });
            foreach (var passes in new[] { ScoringPasses.Universal, ScoringPasses.Mixture })
                AnsiConsole.Status().Start($"measuring decoding ({passes}) …", _ =>
                {
                    foreach (var t in SpeedBenchmark.Decoding(recommender, vocabulary, passes, parse.GetValue(pools)!, parse.GetValue(users))) Add(t);
                });
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
