namespace GenCdr.Recommender;

/// <summary>The training stages of the recommender (paper §4 steps 3–4, plus our stage 0, spec §5).</summary>
public enum Stage
{
    /// <summary>Stage 0: the backbone from scratch on mixed-domain sequences, no adapters (not in the paper,
    /// whose LLM comes pre-trained).</summary>
    Backbone,
    /// <summary>Stage 3: the K universal experts and their MoE gates on mixed-domain sequences, backbone frozen (§2a).</summary>
    Universal,
    /// <summary>Stage 4a: domain d's adapter, loss on domain-d items only; backbone and experts frozen (§2b).</summary>
    DomainAdapter,
    /// <summary>Stage 4b: the user router, everything else frozen: maximise the likelihood of domain-d targets
    /// under P = w·P_univ + (1 − w)·P_dom, plus β_VIB·KL (§2c).</summary>
    UserRouter,
}
