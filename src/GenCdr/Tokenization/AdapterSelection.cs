using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>
/// Which LoRA paths of every <see cref="LoraLinear"/> a forward pass uses: backbone only (stage 0),
/// backbone + universal experts (paper §2a), or backbone + universal + the domain adapter of each row's
/// domain (paper §2b). The domain is per row so that the universal and domain passes, and users of
/// different target domains, can share one batch.
/// </summary>
public sealed class AdapterSelection
{
    public bool Universal { get; }
    /// <summary>long [B]: the domain adapter of each row, −1 for none; null when no row uses one.</summary>
    public Tensor? DomainPerRow { get; }

    AdapterSelection(bool universal, Tensor? domainPerRow) { Universal = universal; DomainPerRow = domainPerRow; }

    public static readonly AdapterSelection BackboneOnly = new(false, null);
    public static readonly AdapterSelection WithUniversal = new(true, null);

    /// <summary>Universal experts (if <paramref name="universal"/>) plus each row's domain adapter.</summary>
    public static AdapterSelection WithDomains(Tensor domainPerRow, bool universal = true) => new(universal, domainPerRow);
}
