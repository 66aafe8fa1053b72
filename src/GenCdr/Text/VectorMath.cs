namespace GenCdr.Text;

/// <summary>The few vector operations text embeddings need.</summary>
public static class VectorMath
{
    /// <summary>Scales <paramref name="v"/> to unit Euclidean length in place; a zero vector stays zero
    /// (the norm is clamped at 1e-12, as sentence-transformers' Normalize layer does).</summary>
    public static void L2NormalizeInPlace(Span<float> v)
    {
        double sum = 0;
        foreach (var x in v) sum += (double)x * x;
        var inv = (float)(1.0 / Math.Max(Math.Sqrt(sum), 1e-12));
        for (var i = 0; i < v.Length; i++) v[i] *= inv;
    }

    /// <summary>Cosine similarity of two vectors (their dot product when both are unit-norm).</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Vector lengths differ: {a.Length} vs {b.Length}.");
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) { dot += (double)a[i] * b[i]; na += (double)a[i] * a[i]; nb += (double)b[i] * b[i]; }
        return na == 0 || nb == 0 ? 0f : (float)(dot / Math.Sqrt(na * nb));
    }

    /// <summary>Euclidean norm of <paramref name="v"/>.</summary>
    public static float Norm(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (var x in v) sum += (double)x * x;
        return (float)Math.Sqrt(sum);
    }
}
