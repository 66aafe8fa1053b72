using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>The RQ-VAE decoder D: quantised latent (LatentDim) → the encoder's hidden widths reversed →
/// reconstruction x̂ (InputDim) (paper §1a). Frozen after stage 1.</summary>
public sealed class MlpDecoder(TokenizerConfig config, Generator generator)
    : LoraMlp(nameof(MlpDecoder), [config.LatentDim, .. config.HiddenDims.Reverse(), config.InputDim], generator);
