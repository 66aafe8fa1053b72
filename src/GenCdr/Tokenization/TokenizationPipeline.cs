using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>Everything tokenization produces: the trained tokenizer, the semantic IDs and the report.</summary>
public sealed record TokenizationOutcome(ItemTokenizer Tokenizer, SemanticIdTable Table, TokenizationReport Report);

/// <summary>Paper §1 end to end: stage 1, stage 2, semantic IDs with disambiguation, and the report.</summary>
public static class TokenizationPipeline
{
    /// <param name="device">where the tokenizer trains and encodes (default: the CPU); it is built on the CPU and moved there</param>
    public static TokenizationOutcome Run(TokenizerConfig config, IReadOnlyList<DomainItems> domains,
        Action<TrainingProgress>? progress = null, Device? device = null)
    {
        var trainer = new TokenizerTrainer(config, progress);
        var tokenizer = trainer.CreateTokenizer(domains);
        if (device is not null) tokenizer.to(device);
        var universal = trainer.TrainUniversal(tokenizer, domains);
        var adapters = trainer.TrainAdapters(tokenizer, domains);

        var clock = Stopwatch.StartNew();
        var assignment = SemanticIdAssigner.Assign(tokenizer, domains);
        double assignSeconds = clock.Elapsed.TotalSeconds;

        var cfg = tokenizer.Config;
        var reports = domains.Select((d, i) =>
        {
            var a = assignment.Domains[i];
            var adapter = adapters.FirstOrDefault(r => r.Domain == d.Domain);
            return new DomainTokenizationReport(
                d.Domain, d.Count,
                tokenizer.ReconstructionLoss(d.Domain, d.Embeddings, useAdapter: false),
                tokenizer.HasAdapters ? tokenizer.ReconstructionLoss(d.Domain, d.Embeddings, useAdapter: true) : null,
                adapter?.Seconds ?? 0, adapter?.Epochs ?? [],
                CodeStatistics.Usage(a.RawCodes, cfg.Levels, cfg.CodebookSize),
                a.Disambiguation.CollisionRate, SemanticIdAssigner.CollisionRate(a.Disambiguation.Codes),
                a.Disambiguation.LargestGroup,
                tokenizer.HasAdapters ? GateStatistics.Of(a.Gates) : null,
                tokenizer.HasAdapters ? tokenizer.AdapterShift(d.Domain, d.Embeddings) : null,
                tokenizer.GateVersusAdapterAdvantage(d.Domain, d.Embeddings),
                tokenizer.HasAdapters && cfg.AdapterCollaborativeWeight > 0 ? GateVersusTransitions(a.Gates, d) : null,
                adapter?.InitialGate);
        }).ToList();
        var report = new TokenizationReport(cfg, universal.Seconds, adapters.Sum(a => a.Seconds), assignSeconds,
            universal.Epochs, reports);
        return new TokenizationOutcome(tokenizer, assignment.Table, report);
    }

    /// <summary>Pearson's r between each item's gate and log(1 + the number of the domain's training transitions it is
    /// an end of); null when there are no transitions or nothing varies.</summary>
    static double? GateVersusTransitions(IReadOnlyList<float> gates, DomainItems domain)
    {
        if (domain.Transitions.Count == 0) return null;
        var counts = new double[domain.Count];
        foreach (var (from, to) in domain.Transitions) { counts[from]++; counts[to]++; }
        double r = GenCdr.Decoding.RouterDiagnostics.Pearson(gates.Select(g => (double)g).ToArray(), counts.Select(n => Math.Log(1 + n)).ToArray());
        return double.IsNaN(r) ? null : r;
    }
}
