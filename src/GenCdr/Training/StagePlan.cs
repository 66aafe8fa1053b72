using GenCdr.Decoding;
using GenCdr.Recommender;

namespace GenCdr.Training;

/// <summary>One stage of recommender training: what it trains, for how many epochs, and how it is validated.</summary>
/// <param name="Stage">The parameters trained (see <see cref="Recommender.Stage"/>).</param>
/// <param name="Domain">The domain of a per-domain stage (4a, 4b); null for the mixed-domain stages.</param>
/// <param name="Epochs">Upper bound; early stopping may end it sooner.</param>
/// <param name="Passes">The scoring used to validate it (and, for the last stage, to recommend).</param>
public sealed record StagePlan(Stage Stage, int? Domain, int Epochs, ScoringPasses Passes)
{
    /// <summary>A stable name for checkpoints and logs: "backbone", "universal", "domain-1", "router-1".</summary>
    public string Key => Stage switch
    {
        Stage.Backbone => "backbone",
        Stage.Universal => "universal",
        Stage.DomainAdapter => $"domain-{Domain}",
        _ => $"router-{Domain}",
    };

    /// <summary>
    /// The schedule of paper §4 (steps 3–4) preceded by our stage 0 (spec §5): the backbone on mixed-domain
    /// sequences; the universal experts (backbone frozen); then per domain its adapter (backbone and experts
    /// frozen) and the user router. Ablations drop stages: w/o universal experts skips stage 3 (the domain
    /// adapters then sit on the bare backbone and there is no mixture to route), w/o specific expert skips stage 4.
    /// </summary>
    public static IReadOnlyList<StagePlan> For(RecommenderConfig config, int domainCount)
    {
        var plan = new List<StagePlan> { new(Stage.Backbone, null, config.BackboneEpochs, ScoringPasses.Backbone) };
        if (config.UseUniversalExperts)
            plan.Add(new StagePlan(Stage.Universal, null, config.UniversalEpochs, ScoringPasses.Universal));
        if (config.UseDomainExperts)
        {
            for (int d = 0; d < domainCount; d++)
            {
                plan.Add(new StagePlan(Stage.DomainAdapter, d, config.DomainEpochs, ScoringPasses.Domain));
                if (config.UseUniversalExperts)
                    plan.Add(new StagePlan(Stage.UserRouter, d, config.RouterEpochs, ScoringPasses.Mixture));
            }
        }
        return plan;
    }
}
