namespace GenCdr.Tests.Baselines;

/// <summary>
/// The SASRec and BERT4Rec tests seed and draw from libtorch's one global generator (weight initialisation,
/// dropout); xunit runs test classes in parallel, so two of them training at once interleave their draws and a
/// seeded run stops being reproducible. Classes in this collection run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TorchGeneratorCollection
{
    public const string Name = "Baselines: libtorch global generator";
}
