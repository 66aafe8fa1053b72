namespace GenCdr.Recommender;

/// <summary>Which forward passes produce the next-token distribution at decoding time.</summary>
public enum ScoringPasses
{
    /// <summary>The backbone alone (after stage 0).</summary>
    Backbone,
    /// <summary>Backbone + universal experts (after stage 3).</summary>
    Universal,
    /// <summary>Backbone + universal experts (if enabled) + the target domain's adapter.</summary>
    Domain,
    /// <summary>The full model (paper §2c): the universal and the domain pass, run stacked along the batch,
    /// mixed per step as P = w·P_univ + (1 − w)·P_dom with the user router's w.</summary>
    Mixture,
}
