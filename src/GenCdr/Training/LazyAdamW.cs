using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019) applied only to the given rows of a 2-D parameter, the "lazy" Adam of large
/// embedding tables (TensorFlow Addons' LazyAdam, PyTorch's SparseAdam; TorchSharp has neither): the moments and the
/// decoupled weight decay of a row advance only in the steps that use it. Each row's bias correction counts that row's
/// own updates, as a fresh Adam on the row would: TF's LazyAdam and PyTorch's SparseAdam correct with the table's one
/// step count, so a row first used at step 5,000 divides m = 0.1·g by √v = 0.03·|g| and moves 3.2× the learning rate,
/// and a row used a hundred times still 3×, while the rows used in every step move 1×. On an item table the rarely used
/// rows are the rarely bought items, which so took the largest steps, most of them as sampled negatives: in the Amazon
/// Sports + Clothing model their rows ended with larger norms than the popular items' (0.63 against 0.46), and with
/// per-row counts the validation log-likelihood of the held-out item rose by 0.26 / 0.41 nats (docs/recipe.md, "The
/// item table's optimizer"). When every row is used in every step the result is that of <c>optim.AdamW</c> with the same
/// settings (tested); its cost is proportional to the rows used, not to the table.
/// </summary>
public sealed class LazyAdamW : IDisposable
{
    readonly Tensor _weight, _mean, _square;
    /// <summary>Each row's number of updates [rows] (float64, for the bias correction's powers at AdamW's precision).</summary>
    readonly Tensor _rowSteps;
    readonly double _beta1, _beta2, _eps, _weightDecay;

    public LazyAdamW(Tensor weight, double learningRate, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        if (weight.dim() != 2) throw new ArgumentException("the lazy update needs a 2-D table", nameof(weight));
        _weight = weight;
        _mean = zeros_like(weight, requires_grad: false);
        _square = zeros_like(weight, requires_grad: false);
        _rowSteps = zeros(weight.shape[0], dtype: ScalarType.Float64, device: weight.device);
        LearningRate = learningRate;
        _weightDecay = weightDecay;
        _beta1 = beta1; _beta2 = beta2; _eps = eps;
    }

    /// <summary>The rate of the next step (set by the trainer's schedule).</summary>
    public double LearningRate { get; set; }

    /// <summary>One AdamW step on <paramref name="rows"/> (distinct row indices) from the weight's current gradient,
    /// then drops the gradient (the next backward allocates a fresh one).</summary>
    public void Step(Tensor rows)
    {
        using (NewDisposeScope())
        using (no_grad())
        {
            var grad = _weight.grad;
            if (grad is null) return;
            if (rows.numel() > 0)
            {
                var g = grad.index_select(0, rows);
                var m = _mean.index_select(0, rows).mul_(_beta1).add_(g, alpha: 1 - _beta1);
                var v = _square.index_select(0, rows).mul_(_beta2).addcmul_(g, g, value: 1 - _beta2);
                _mean.index_copy_(0, rows, m);
                _square.index_copy_(0, rows, v);
                var steps = _rowSteps.index_select(0, rows).add_(1);
                _rowSteps.index_copy_(0, rows, steps);
                // 1 − β^k per row, k its own update count
                var correction1 = (1 - steps.mul(Math.Log(_beta1)).exp_()).to(_weight.dtype).unsqueeze(1);
                var correction2 = (1 - steps.mul(Math.Log(_beta2)).exp_()).to(_weight.dtype).unsqueeze(1);
                var update = (m / correction1).div_((v / correction2).sqrt_().add_(_eps));
                var w = _weight.index_select(0, rows).mul_(1 - LearningRate * _weightDecay).sub_(update.mul_(LearningRate));
                _weight.index_copy_(0, rows, w);
            }
        }
        _weight.grad = null;
    }

    /// <summary>Marks the state's format: the table-wide step count of earlier versions cannot be turned into per-row counts.</summary>
    const string Format = "LazyAdamW per-row 1";

    /// <summary>Writes both moments and the rows' update counts (for an exact resume).</summary>
    public void SaveState(BinaryWriter writer)
    {
        writer.Write(Format);
        _mean.Save(writer);
        _square.Save(writer);
        _rowSteps.Save(writer);
    }

    /// <summary>Restores what <see cref="SaveState"/> wrote for a table of the same shape.</summary>
    /// <exception cref="InvalidDataException">the state was written by an earlier version (one step count for the table)</exception>
    public void LoadState(BinaryReader reader)
    {
        string format;
        try { format = reader.ReadString(); }
        catch (EndOfStreamException) { format = ""; }
        if (format != Format)
            throw new InvalidDataException("the item table's optimizer state was written by an earlier version (one step count for the table); " +
                                           "start this stage again from its last finished stage");
        using (no_grad())
        {
            _mean.Load(reader);
            _square.Load(reader);
            _rowSteps.Load(reader);
        }
    }

    public void Dispose()
    {
        _mean.Dispose();
        _square.Dispose();
        _rowSteps.Dispose();
    }
}
