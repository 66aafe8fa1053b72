using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GenCdr.Data;
using GenCdr.Training;

namespace GenCdr.Benchmark;

/// <summary>
/// Tokenizers shared between GenCDR variants: every variant whose data, text encoder and tokenizer settings are
/// the same gets the same semantic IDs, so the tokenizer is trained once, in tokenizations/KEY/ (KEY: a hash of
/// those three config sections), and its files are copied into each variant's run folder before the pipeline's
/// Tokenize step, which then finds the step done. (The full model and the w/o Specific Expert, w/o Universal
/// Experts and w/o MoE Gate variants share one tokenizer; w/o MTM, w/o Item Adapter and TIGER have their own.)
/// </summary>
public static class BenchTokenization
{
    const string KeyFile = "tokenization-key.json";

    /// <summary>The first 16 hex digits of SHA-256 over the JSON of the data, text and tokenizer sections.</summary>
    public static string Key(RunConfig config)
    {
        string json = JsonSerializer.Serialize(new { config.Data, config.Text, config.Tokenizer }, RunConfig.Json);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
    }

    /// <summary>Makes <paramref name="target"/> tokenized: from the shared folder of its key, tokenizing there
    /// first if no variant has done so yet.</summary>
    public static void Provide(BenchContext context, string model, RunConfig config, RunFolder target)
    {
        if (target.IsTokenized) return;
        var shared = new RunFolder(Path.Combine(context.Folder.Tokenizations, Key(config)));
        if (!shared.IsTokenized)
        {
            context.Training(model, "tokenizer");
            Directory.CreateDirectory(shared.Root);
            AtomicFile.WriteAllText(Path.Combine(shared.Root, KeyFile),
                JsonSerializer.Serialize(new { config.Data, config.Text, config.Tokenizer }, RunConfig.Json));
            var (tokenizer, _) = GenCdrPipeline.Tokenize(context.Data, config, shared, context.PipelineFor(model));
            tokenizer.Dispose();
        }
        else context.Log($"{model}: tokenizer shared from {Path.GetRelativePath(context.Folder.Root, shared.Root)}");
        CopyInto(shared, target);
    }

    /// <summary>Copies the tokenizer files and reports; semantic-ids.tsv last (through a temp file), because its
    /// presence marks the step as done.</summary>
    static void CopyInto(RunFolder from, RunFolder to)
    {
        Directory.CreateDirectory(to.Tokenizer);
        foreach (var file in Directory.GetFiles(from.Tokenizer))
            File.Copy(file, Path.Combine(to.Tokenizer, Path.GetFileName(file)), overwrite: true);
        foreach (var (source, destination) in new[] { (from.TokenizationReport, to.TokenizationReport), (from.TokenizationText, to.TokenizationText) })
            if (File.Exists(source)) File.Copy(source, destination, overwrite: true);
        AtomicFile.Copy(from.SemanticIds, to.SemanticIds);
    }
}
