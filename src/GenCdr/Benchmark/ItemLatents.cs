namespace GenCdr.Benchmark;

/// <summary>
/// Item representations under one condition (e.g. "universal encoder only" or "with domain adapters"),
/// for the paper's Fig. 3: one latent vector per item and the index of the item's domain.
/// </summary>
public sealed record ItemLatents(string Title, float[][] Latents, int[] Domains)
{
    /// <summary>Checks the shape: one domain per item, all vectors of one length.</summary>
    public void Validate()
    {
        if (Latents.Length != Domains.Length)
            throw new ArgumentException($"{Title}: {Latents.Length} latents but {Domains.Length} domain labels");
        if (Latents.Length > 0 && Latents.Any(v => v.Length != Latents[0].Length))
            throw new ArgumentException($"{Title}: latent vectors differ in length");
    }
}
