using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// A padded batch of token sequences as tensors, all [B, T].
/// <b>Left padding</b>: every sequence ends in the last column. Decoding needs this (the next-token
/// logits of every row are in the last column and the KV cache grows by one column for all rows), and
/// training uses the same layout so that there is one attention path. Rotary positions count from each
/// row's first real token, so padding never shifts a sequence's positions, and <see cref="Valid"/> masks
/// padded keys out of attention.
/// </summary>
public sealed class TokenBatch : IDisposable
{
    public Tensor Tokens { get; }
    public Tensor Positions { get; }
    /// <summary>True at real (non-pad) tokens.</summary>
    public Tensor Valid { get; }
    /// <summary>Next-token targets, −1 where no loss.</summary>
    public Tensor Targets { get; }
    public Tensor TargetDomain { get; }
    /// <summary>Column of the target item's domain token (where the user router reads the history); 0 where no target.</summary>
    public Tensor RouterColumn { get; }
    public int Count { get; }
    public int Width { get; }

    TokenBatch(Tensor tokens, Tensor positions, Tensor valid, Tensor targets, Tensor targetDomain, Tensor routerColumn)
    {
        Tokens = tokens; Positions = positions; Valid = valid; Targets = targets; TargetDomain = targetDomain;
        RouterColumn = routerColumn;
        Count = (int)tokens.shape[0];
        Width = (int)tokens.shape[1];
    }

    /// <param name="device">where the tensors go (the model's device; default: the CPU)</param>
    public static TokenBatch Create(IReadOnlyList<TokenSequence> sequences, Device? device = null)
    {
        if (sequences.Count == 0) throw new ArgumentException("a batch needs at least one sequence");
        int b = sequences.Count, w = sequences.Max(s => s.Length);
        var tokens = new long[b * w];
        var positions = new long[b * w];
        var valid = new bool[b * w];
        var targets = new long[b * w];
        var domains = new long[b * w];
        var router = new long[b * w];
        Array.Fill(targets, -1);
        Array.Fill(domains, -1);
        for (int i = 0; i < b; i++)
        {
            var s = sequences[i];
            int pad = w - s.Length;
            for (int t = 0; t < s.Length; t++)
            {
                int k = i * w + pad + t;
                tokens[k] = s.Tokens[t];
                positions[k] = t;
                valid[k] = true;
                targets[k] = s.Targets[t];
                domains[k] = s.TargetDomain[t];
                router[k] = s.TargetLevel[t] >= 0 ? pad + t - s.TargetLevel[t] : 0;
            }
        }
        return new TokenBatch(
            tensor(tokens, [b, w], device: device), tensor(positions, [b, w], device: device), tensor(valid, [b, w], device: device),
            tensor(targets, [b, w], device: device), tensor(domains, [b, w], device: device), tensor(router, [b, w], device: device));
    }

    /// <summary>Left-padded prompts only (no targets), for decoding.</summary>
    public static TokenBatch FromPrompts(IReadOnlyList<int[]> prompts, Device? device = null) =>
        Create(prompts.Select(TokenSequence.Prompt).ToList(), device);

    public void Dispose()
    {
        Tokens.Dispose(); Positions.Dispose(); Valid.Dispose(); Targets.Dispose(); TargetDomain.Dispose(); RouterColumn.Dispose();
    }
}
