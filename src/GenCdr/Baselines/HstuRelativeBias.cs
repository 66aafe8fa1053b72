using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// HSTU's relative attention bias rab_{p,t} (Zhai et al. 2024, §3.1; the official
/// <c>RelativeBucketedTimeAndPositionBasedBias</c>): a learned weight per relative position j − i, plus a learned weight
/// per bucket of the time gap between the query's next event and the key's event,
/// bucket = ⌊ln(max(|t_{i+1} − t_j|, 1)) / 0.301⌋ clamped to [0, <see cref="TimeBuckets"/>] (timestamps in seconds; at the
/// last position, whose next event is unknown, t_{i+1} is its own time, as in the official code). Both weights start
/// as N(0, 0.02²), as there.
/// </summary>
public sealed class HstuRelativeBias : nn.Module<Tensor, Tensor>
{
    /// <summary>Time-gap buckets (the official code's 128).</summary>
    public const int TimeBuckets = 128;

    readonly Parameter position_weights, time_weights;
    readonly int _length;

    public HstuRelativeBias(int maxLength) : base(nameof(HstuRelativeBias))
    {
        _length = maxLength;
        position_weights = new Parameter(empty(2 * maxLength - 1));
        time_weights = new Parameter(empty(TimeBuckets + 1));
        using (no_grad())
        {
            nn.init.normal_(position_weights, 0, 0.02);
            nn.init.normal_(time_weights, 0, 0.02);
        }
        RegisterComponents();
    }

    /// <summary>The bucket of each time gap (seconds): ⌊ln(max(|gap|, 1)) / 0.301⌋, clamped to [0, TimeBuckets].</summary>
    public static Tensor Bucket(Tensor gaps) =>
        (gaps.abs().clamp_min(1).to_type(ScalarType.Float32).log() / 0.301).floor().to_type(ScalarType.Int64).clamp(0, TimeBuckets);

    /// <param name="timestamps">long [B, T], each column's event time (any value at padding, which the mask hides)</param>
    /// <returns>[B, 1, T, T]: bias of query i on key j</returns>
    public override Tensor forward(Tensor timestamps)
    {
        long t = timestamps.shape[1];
        if (t > _length) throw new ArgumentException($"a sequence is longer than MaxLength {_length}");
        var columns = arange(t, dtype: ScalarType.Int64, device: timestamps.device);
        var relative = columns.unsqueeze(0) - columns.unsqueeze(1) + (_length - 1);              // [T, T]: j − i, shifted ≥ 0
        var position = position_weights.index_select(0, relative.flatten()).view(t, t);
        var next = cat([timestamps.narrow(1, 1, t - 1), timestamps.narrow(1, t - 1, 1)], 1);         // t_{i+1}; the last: its own
        var gaps = next.unsqueeze(2) - timestamps.unsqueeze(1);                                  // [B, T, T]
        var time = time_weights.index_select(0, Bucket(gaps).flatten()).view(gaps.shape);
        return (position.unsqueeze(0) + time).unsqueeze(1);
    }
}
