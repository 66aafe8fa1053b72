using System.Text.Json;
using GenCdr.Data;
using GenCdr.Decoding;
using GenCdr.Evaluation;
using GenCdr.Tokenization;
using GenCdr.Training;

namespace GenCdr.Benchmark;

/// <summary>
/// The routers of every GenCDR-family model of a bench folder, for the report's "Routers" section: the item router's
/// gates from each model's tokenization report, and the user router measured on <see cref="UsersPerDomain"/> test users
/// per domain (the evaluator's fixed sample) once, then cached as models/NAME/routing.json, so a model trained in an
/// earlier run is measured too.
/// </summary>
public static class BenchRouting
{
    public const int UsersPerDomain = 2000;

    public static IReadOnlyDictionary<string, ModelRouting> Of(BenchContext context, IEnumerable<string> models)
    {
        var result = new Dictionary<string, ModelRouting>();
        foreach (var name in models)
        {
            var folder = new RunFolder(context.Folder.ModelFolder(name));
            if (!File.Exists(folder.Config) || !File.Exists(folder.TokenizationReport)) continue;   // not a GenCDR run folder
            var items = JsonSerializer.Deserialize<TokenizationReport>(File.ReadAllText(folder.TokenizationReport), RunConfig.Json)?.Domains ?? [];
            var path = Path.Combine(folder.Root, RouterDiagnostics.FileName);
            var measured = RouterDiagnostics.TryLoad(path);
            if (measured is null && folder.IsTrained)
            {
                context.Log($"{name}: measuring the user router and the MoE gate on {UsersPerDomain} test users per domain");
                var config = RunConfig.Load(folder.Config);
                var sids = SemanticIds.For(context.Data, SemanticIdTable.Load(folder.SemanticIds), config);
                using var model = GenCdrPipeline.LoadModel(config, sids, folder);
                measured = RouterDiagnostics.Measure(GenCdrPipeline.Recommender(model, sids), context.Data, Split.Test,
                    UsersPerDomain, new EvaluationOptions().SampleSeed);
                RouterDiagnostics.Save(measured, path);
            }
            var routing = new ModelRouting(items, measured?.Users ?? [], measured?.ExpertGates ?? []);
            if (items.Any(d => d.Gate is not null) || routing.Users.Count > 0 || routing.ExpertGates.Count > 0) result[name] = routing;
        }
        return result;
    }
}
