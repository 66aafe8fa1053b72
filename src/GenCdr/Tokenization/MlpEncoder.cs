using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>The RQ-VAE encoder E: x (InputDim) → hidden widths → z (LatentDim) (paper §1a). Built from
/// <see cref="LoraLinear"/> layers so that E_d, the domain-adapted encoder of §1b, is this network with the
/// adapter of domain d active.</summary>
public sealed class MlpEncoder(TokenizerConfig config, Generator generator)
    : LoraMlp(nameof(MlpEncoder), [config.InputDim, .. config.HiddenDims, config.LatentDim], generator, config.LoraDropout);
