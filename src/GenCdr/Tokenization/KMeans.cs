using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>Lloyd's k-means on a tensor of points, used to initialise each RQ-VAE codebook from latent residuals
/// (the standard RQ-VAE initialisation; random codebooks leave most codes dead from the first step).</summary>
public static class KMeans
{
    /// <summary>Returns k centres [k, D] of <paramref name="points"/> [N, D]. Initial centres are k distinct random
    /// points (with repetition when N &lt; k); a centre that loses all its points is moved to a random point.</summary>
    public static Tensor Fit(Tensor points, int k, int iterations, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long n = points.shape[0];
        var device = points.device;
        var start = n >= k
            ? randperm(n, device: device, generator: generator.On(device))[..k]
            : randint(0, n, [k], dtype: int64, device: device, generator: generator.On(device));
        var centres = points.index_select(0, start).clone();
        for (int it = 0; it < iterations; it++)
        {
            // each iteration's [N, k] distances are freed before the next: without this scope a fit on 40 k points
            // holds every iteration's temporaries (≈ 50 MB each) until it returns
            using var step = NewDisposeScope();
            var assignment = Nearest(points, centres);
            var sums = zeros_like(centres).index_add_(0, assignment, points, 1);
            var counts = bincount(assignment, minlength: k).to(points.dtype).unsqueeze(1);
            var empty = counts.eq(0).squeeze(1);
            centres = sums / counts.clamp_min(1);
            long emptyCount = empty.sum().item<long>();
            if (emptyCount > 0)
            {
                var replacement = points.index_select(0, randint(0, n, [emptyCount], dtype: int64, device: device, generator: generator.On(device)));
                centres.index_put_(replacement, empty);
            }
            centres.MoveToOuterDisposeScope();
        }
        return centres.MoveToOuterDisposeScope();
    }

    /// <summary>Index of the nearest centre (squared Euclidean distance) for every point: [N] int64.</summary>
    public static Tensor Nearest(Tensor points, Tensor centres)
    {
        // ||p − c||² = ||p||² − 2 p·c + ||c||²; ||p||² is constant per row and does not change the argmin.
        var distances = centres.pow(2).sum(1).unsqueeze(0) - 2 * points.matmul(centres.t());
        return distances.argmin(1);
    }
}
