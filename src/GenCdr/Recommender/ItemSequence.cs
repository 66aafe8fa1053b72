namespace GenCdr.Recommender;

/// <summary>What the trainer's batching needs of a training sequence, whatever its layout.</summary>
public interface IRecommenderSequence
{
    /// <summary>Input positions (tokens or items).</summary>
    int Length { get; }
    /// <summary>Whether some position's target is an item of <paramref name="domain"/> (the per-domain stages skip the rest).</summary>
    bool HasTargetIn(int domain);
}

/// <summary>An item of a history with its index in its domain (the training target of the item layout).</summary>
public readonly record struct IndexedSidItem(SidItem Sid, int Item);

/// <summary>
/// One user's history in the item layout (<see cref="SequenceLayout.Item"/>): position 0 is BOS, position t ≥ 1 is
/// history item t. Every position also carries the domain of the item it predicts (<see cref="NextDomain"/>):
/// at inference that is the target domain, known in advance, exactly as the token layout's domain token before
/// c_1 (paper §2a). Position t is trained to predict item t + 1 (<see cref="TargetItem"/>, its index in
/// <see cref="TargetDomain"/>), so every history item is a target once, the first one from BOS alone.
/// </summary>
/// <param name="Domains">Domain of each position's input item; −1 at BOS.</param>
/// <param name="Codes">SID of each position's input item (c_1 … c_L); null at BOS.</param>
/// <param name="NextDomain">Domain of the item each position predicts; −1 where nothing follows.</param>
/// <param name="TargetItem">Index of the next item in its domain, or −1 (no loss).</param>
/// <param name="Items">Index in its domain of each position's input item (for its ID embedding); −1 at BOS or unknown.</param>
public sealed record ItemSequence(int[] Domains, int[]?[] Codes, int[] NextDomain, int[] TargetItem, int[] Items) : IRecommenderSequence
{
    public int Length => Domains.Length;
    /// <summary>Domain of each position's target, or −1 (equal to <see cref="NextDomain"/> where there is a target).</summary>
    public int[] TargetDomain => TargetItem.Select((item, t) => item >= 0 ? NextDomain[t] : -1).ToArray();
    public bool HasTargetIn(int domain)
    {
        for (int t = 0; t < Length; t++) if (TargetItem[t] >= 0 && NextDomain[t] == domain) return true;
        return false;
    }

    /// <summary>The domains of the history's items (positions 1 … n−1), each once, in order of first appearance.</summary>
    public IEnumerable<int> HistoryDomains() => Domains.Skip(1).Distinct();

    /// <summary>The training sequence of a history: BOS and every item as input, every item as a target.</summary>
    public static ItemSequence Training(IReadOnlyList<IndexedSidItem> history) =>
        Of(history.Select(h => h.Sid).ToList(), history.Select(h => h.Item).ToList(), targetDomain: null);

    /// <summary>The decoding prompt: BOS and the history; the last position predicts an item of <paramref name="targetDomain"/>.
    /// <paramref name="items"/>: each history item's index in its domain (null: unknown, no ID embeddings).</summary>
    public static ItemSequence Prompt(IReadOnlyList<SidItem> history, int targetDomain, IReadOnlyList<int>? items = null) =>
        Of(history, items, targetDomain);

    /// <summary>A prompt whose last position has a target: <paramref name="targetItem"/> of <paramref name="targetDomain"/>,
    /// an event held out of training (the user router fitted on held-out events, <see cref="RouterTargets.HeldOutEvents"/>).</summary>
    public static ItemSequence HeldOut(IReadOnlyList<SidItem> history, IReadOnlyList<int> items, int targetDomain, int targetItem)
    {
        var prompt = Of(history, items, targetDomain);
        prompt.TargetItem[^1] = targetItem;
        return prompt;
    }

    /// <summary>
    /// The same history with only its items of <paramref name="domain"/> (the domain pass's input under
    /// <see cref="HistoryView.InDomain"/>): a training sequence stays a training sequence, whose targets are this one's
    /// domain-<paramref name="domain"/> targets in the same order; a prompt stays a prompt for the same target domain, with its held-out target if it has one.
    /// </summary>
    public ItemSequence InDomain(int domain)
    {
        // a prompt, or a prompt with a held-out target, predicts from its last position; a training sequence does not
        bool prompt = NextDomain[^1] >= 0;
        var kept = Enumerable.Range(1, Length - 1).Where(t => Domains[t] == domain).ToList();
        var history = kept.Select(t => new SidItem(domain, Codes[t]!)).ToList();
        var items = kept.Select(t => Items[t]).ToList();
        // every history item is an input (positions 1 … n−1), so the kept inputs are the whole domain-d history; as a
        // training sequence each of them is a target again, in the same order as here
        var view = Of(history, items, prompt ? NextDomain[^1] : null);
        if (prompt) view.TargetItem[^1] = TargetItem[^1];
        return view;
    }

    /// <summary>A training sequence (no target domain: position t targets item t + 1) or a prompt (no targets; the
    /// last position predicts an item of the target domain).</summary>
    static ItemSequence Of(IReadOnlyList<SidItem> history, IReadOnlyList<int>? items, int? targetDomain)
    {
        int n = history.Count + 1;
        var domains = new int[n];
        var codes = new int[]?[n];
        var next = new int[n];
        var target = new int[n];
        var indices = new int[n];
        domains[0] = -1;
        indices[0] = -1;
        for (int t = 0; t < n; t++)
        {
            if (t > 0) { domains[t] = history[t - 1].Domain; codes[t] = history[t - 1].Codes; indices[t] = items?[t - 1] ?? -1; }
            bool last = t == n - 1;
            next[t] = last ? targetDomain ?? -1 : history[t].Domain;
            target[t] = targetDomain is null && !last ? items![t] : -1;
        }
        return new ItemSequence(domains, codes, next, target, indices);
    }
}
