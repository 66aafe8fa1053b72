using GenCdr.Data;

namespace GenCdr.Baselines;

/// <summary>
/// Makes BERT4Rec's training samples (paper §3.6). Cloze: every position is replaced by the [MASK] of its
/// domain with probability ρ, and at least one always is, so no sample is wasted. Last item: only the final
/// position is masked, which mirrors the inference input (history + appended [MASK]). Masked positions always
/// read [MASK] — the paper does not use BERT's 80/10/10 random/keep replacement — so a target item is never
/// visible at its own position; it may still appear elsewhere in the sequence if the user bought it twice,
/// which is real context, not a leak.
/// </summary>
public static class Bert4RecMasking
{
    /// <summary>One training sample of a window: last-item-only with probability
    /// <see cref="Bert4RecConfig.LastItemOnlyProbability"/>, otherwise Cloze with
    /// <see cref="Bert4RecConfig.MaskProbability"/>.</summary>
    public static Bert4RecSample Sample(Event[] window, Bert4RecConfig config, Bert4RecVocabulary vocabulary, Random rng) =>
        rng.NextDouble() < config.LastItemOnlyProbability
            ? LastItem(window, vocabulary)
            : Cloze(window, config.MaskProbability, vocabulary, rng);

    /// <summary>Masks each position with the given probability, and one uniformly chosen position if none was.</summary>
    public static Bert4RecSample Cloze(Event[] window, double probability, Bert4RecVocabulary vocabulary, Random rng)
    {
        if (window.Length == 0) throw new ArgumentException("cannot mask an empty sequence", nameof(window));
        var masked = new bool[window.Length];
        bool any = false;
        for (int p = 0; p < window.Length; p++)
        {
            masked[p] = rng.NextDouble() < probability;
            any |= masked[p];
        }
        if (!any) masked[rng.Next(window.Length)] = true;
        return Build(window, masked, vocabulary);
    }

    /// <summary>Masks only the last position.</summary>
    public static Bert4RecSample LastItem(Event[] window, Bert4RecVocabulary vocabulary)
    {
        if (window.Length == 0) throw new ArgumentException("cannot mask an empty sequence", nameof(window));
        var masked = new bool[window.Length];
        masked[^1] = true;
        return Build(window, masked, vocabulary);
    }

    static Bert4RecSample Build(Event[] window, bool[] masked, Bert4RecVocabulary vocabulary)
    {
        var tokens = new long[window.Length];
        var targets = new List<Bert4RecTarget>();
        for (int p = 0; p < window.Length; p++)
        {
            var e = window[p];
            if (masked[p])
            {
                tokens[p] = vocabulary.Mask(e.Domain);
                targets.Add(new Bert4RecTarget(p, e.Domain, e.Item));
            }
            else tokens[p] = vocabulary.Item(e.Domain, e.Item);
        }
        return new Bert4RecSample(tokens, targets.ToArray());
    }
}
