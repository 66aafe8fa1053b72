using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019) applied only to the given rows of a 2-D parameter, the "lazy" Adam of large
/// embedding tables (TensorFlow Addons' LazyAdam, PyTorch's SparseAdam; TorchSharp has neither): the moments and the
/// decoupled weight decay of a row advance only in the steps that use it, with one shared step count for the bias
/// correction. For the rows it updates the result is that of <c>optim.AdamW</c> with the same settings when every row is
/// used in every step (tested); its cost is proportional to the rows used, not to the table.
/// </summary>
public sealed class LazyAdamW : IDisposable
{
    readonly Tensor _weight, _mean, _square;
    readonly double _beta1, _beta2, _eps, _weightDecay;
    long _step;

    public LazyAdamW(Tensor weight, double learningRate, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        if (weight.dim() != 2) throw new ArgumentException("the lazy update needs a 2-D table", nameof(weight));
        _weight = weight;
        _mean = zeros_like(weight, requires_grad: false);
        _square = zeros_like(weight, requires_grad: false);
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
            _step++;
            if (rows.numel() > 0)
            {
                var g = grad.index_select(0, rows);
                var m = _mean.index_select(0, rows).mul_(_beta1).add_(g, alpha: 1 - _beta1);
                var v = _square.index_select(0, rows).mul_(_beta2).addcmul_(g, g, value: 1 - _beta2);
                _mean.index_copy_(0, rows, m);
                _square.index_copy_(0, rows, v);
                double correction1 = 1 - Math.Pow(_beta1, _step), correction2 = 1 - Math.Pow(_beta2, _step);
                var update = (m / correction1).div_((v / correction2).sqrt_().add_(_eps));
                var w = _weight.index_select(0, rows).mul_(1 - LearningRate * _weightDecay).sub_(update.mul_(LearningRate));
                _weight.index_copy_(0, rows, w);
            }
        }
        _weight.grad = null;
    }

    /// <summary>Writes the step count and both moments (for an exact resume).</summary>
    public void SaveState(BinaryWriter writer)
    {
        writer.Write(_step);
        _mean.Save(writer);
        _square.Save(writer);
    }

    /// <summary>Restores what <see cref="SaveState"/> wrote for a table of the same shape.</summary>
    public void LoadState(BinaryReader reader)
    {
        _step = reader.ReadInt64();
        using (no_grad())
        {
            _mean.Load(reader);
            _square.Load(reader);
        }
    }

    public void Dispose()
    {
        _mean.Dispose();
        _square.Dispose();
    }
}
