using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>One pass of the RQ-VAE over a batch.</summary>
/// <param name="Latent">z (the latent that was quantised), [B, D].</param>
/// <param name="Quantization">codes, straight-through latent, code vectors, residuals and L_quant.</param>
/// <param name="Reconstruction">x̂ = D(ẑ), [B, InputDim].</param>
/// <param name="ReconLoss">L_recon = ||x − x̂||² (summed over dimensions, batch mean), scalar.</param>
public sealed record RqVaeOutput(Tensor Latent, QuantizerOutput Quantization, Tensor Reconstruction, Tensor ReconLoss);

/// <summary>The universal RQ-VAE of paper §1a: encoder E, residual quantizer with M codebooks, decoder D, and
/// (unless ablated) the masked-code context model f_φ used for L_MTM.</summary>
public sealed class RqVae : nn.Module<Tensor, RqVaeOutput>
{
    private readonly MlpEncoder encoder;
    private readonly ResidualQuantizer quantizer;
    private readonly MlpDecoder decoder;
    private readonly MaskedCodeModel? mtm;

    public RqVae(TokenizerConfig config, Generator generator) : base(nameof(RqVae))
    {
        encoder = new MlpEncoder(config, generator);
        quantizer = new ResidualQuantizer(config.Levels, config.CodebookSize, config.LatentDim, config.Beta, generator);
        decoder = new MlpDecoder(config, generator);
        mtm = config.UseMtm ? new MaskedCodeModel(config, generator) : null;
        RegisterComponents();
    }

    public MlpEncoder Encoder => encoder;
    public ResidualQuantizer Quantizer => quantizer;
    public MlpDecoder Decoder => decoder;

    /// <summary>The masked-code model, or null when trained with UseMtm = false (ablation "w/o MTM").</summary>
    public MaskedCodeModel? Mtm => mtm;

    /// <summary>Encodes with whatever adapter is active on the encoder, quantises and decodes.</summary>
    public override RqVaeOutput forward(Tensor x) => FromLatent(x, encoder.forward(x));

    /// <summary>Quantises and decodes a given latent (e.g. the router's fused latent, paper §1c) and scores the
    /// reconstruction against x.</summary>
    public RqVaeOutput FromLatent(Tensor x, Tensor z)
    {
        var quantization = quantizer.forward(z);
        var reconstruction = decoder.forward(quantization.Quantized);
        return new RqVaeOutput(z, quantization, reconstruction, ReconstructionLoss(x, reconstruction));
    }

    public static Tensor ReconstructionLoss(Tensor x, Tensor reconstruction) => (x - reconstruction).pow(2).sum(1).mean();
}
