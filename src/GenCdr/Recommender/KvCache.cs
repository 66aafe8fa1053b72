using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// Keys and values of every layer for the tokens seen so far, so that incremental decoding feeds only the
/// new token (platform notes: ≈20× faster than re-running the prefix). Rows can be reordered (beam search)
/// with <see cref="Reorder"/>. The cache owns its tensors: they live outside any dispose scope and are
/// disposed when replaced or when the cache is disposed.
/// </summary>
public sealed class KvCache : IDisposable
{
    readonly Tensor?[] _keys, _values;
    Tensor? _valid, _nextPosition;

    public KvCache(int layers) { _keys = new Tensor?[layers]; _values = new Tensor?[layers]; }

    /// <summary>Cached columns (0 before the first forward).</summary>
    public long Length => _valid?.shape[1] ?? 0;
    /// <summary>bool [B, S]: which cached columns are real tokens.</summary>
    public Tensor? Valid => _valid;
    /// <summary>long [B]: the rotary position of each row's next token.</summary>
    public Tensor? NextPosition => _nextPosition;

    public (Tensor? Keys, Tensor? Values) Layer(int layer) => (_keys[layer], _values[layer]);

    public void SetLayer(int layer, Tensor keys, Tensor values)
    {
        Replace(ref _keys[layer], keys);
        Replace(ref _values[layer], values);
    }

    public void SetMask(Tensor valid, Tensor nextPosition)
    {
        Replace(ref _valid, valid);
        Replace(ref _nextPosition, nextPosition);
    }

    /// <summary>Keeps rows <paramref name="rows"/> (long [R]) in that order, e.g. the parents of the surviving beams.</summary>
    public void Reorder(Tensor rows)
    {
        using var scope = NewDisposeScope();
        for (int l = 0; l < _keys.Length; l++)
        {
            if (_keys[l] is { } k) Replace(ref _keys[l], k.index_select(0, rows));
            if (_values[l] is { } v) Replace(ref _values[l], v.index_select(0, rows));
        }
        if (_valid is { } valid) Replace(ref _valid, valid.index_select(0, rows));
        if (_nextPosition is { } next) Replace(ref _nextPosition, next.index_select(0, rows));
    }

    static void Replace(ref Tensor? slot, Tensor value)
    {
        if (ReferenceEquals(slot, value)) return;
        value.DetachFromDisposeScope();
        slot?.Dispose();
        slot = value;
    }

    public void Dispose()
    {
        for (int l = 0; l < _keys.Length; l++) { _keys[l]?.Dispose(); _values[l]?.Dispose(); _keys[l] = _values[l] = null; }
        _valid?.Dispose(); _nextPosition?.Dispose(); _valid = _nextPosition = null;
    }
}
