using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>
/// Batches of a domain's training transitions for <see cref="CollaborativeAlignment"/>: a seeded permutation of all
/// transitions, read <c>batchSize</c> at a time and drawn afresh when it runs out, so every transition is used once per
/// pass whatever the number of stage-2 steps (which counts items, not transitions).
/// </summary>
public sealed class TransitionBatches : IDisposable
{
    readonly Tensor from, to;
    readonly Generator generator;
    readonly int batchSize;
    Tensor? order;
    long next;

    TransitionBatches(Tensor from, Tensor to, int batchSize, Generator generator) =>
        (this.from, this.to, this.batchSize, this.generator) = (from, to, batchSize, generator);

    public static TransitionBatches Create(IReadOnlyList<(int From, int To)> transitions, int batchSize, ulong seed, Device device) =>
        new(tensor(transitions.Select(t => (long)t.From).ToArray(), device: device),
            tensor(transitions.Select(t => (long)t.To).ToArray(), device: device),
            batchSize, new Generator(seed, device));

    /// <summary>The next batch: item indices of the earlier and the later item of each transition ([B] each, B ≤ batchSize;
    /// the last batch of a pass may be shorter).</summary>
    public (Tensor From, Tensor To) Next()
    {
        long count = from.shape[0];
        if (order is null || next >= count)
        {
            order?.Dispose();
            order = randperm(count, device: from.device, generator: generator).DetachFromDisposeScope();
            next = 0;
        }
        var take = order.narrow(0, next, Math.Min(batchSize, count - next));
        next += take.shape[0];
        return (from.index_select(0, take), to.index_select(0, take));
    }

    public void Dispose()
    {
        order?.Dispose();
        from.Dispose();
        to.Dispose();
        generator.Dispose();
    }
}
