using GenCdr.Tokenization;

namespace GenCdr.Recommender;

/// <summary>A projection of the backbone with the LoRA paths of paper §2a–§2b (<see cref="LoraLinear"/>, the module the
/// tokenizer's adapters use too): K universal experts and one adapter per domain, sized by the configuration.</summary>
static class BackboneProjection
{
    public static LoraLinear Create(int inFeatures, int outFeatures, bool bias, RecommenderConfig config, int domainCount)
    {
        var layer = new LoraLinear(inFeatures, outFeatures, bias, config.Dropout, generator: null,
            config.NumUniversalExperts, config.ExpertRank, config.ExpertAlpha);
        for (int d = 0; d < domainCount; d++) layer.AddDomainAdapter(config.DomainAdapterRank, config.DomainAdapterAlpha);
        return layer;
    }
}
