using GenCdr.Text;

namespace GenCdr.Tests.Text;

/// <summary>Loads all-MiniLM-L6-v2 once for all MiniLM tests (≈ 1 s per load).</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEncoder Encoder { get; } = new(new OnnxEncoderOptions { BatchSize = 2 });
    public void Dispose() => Encoder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM";
}
