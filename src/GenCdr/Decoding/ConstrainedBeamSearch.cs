using GenCdr.Recommender;

namespace GenCdr.Decoding;

/// <summary>
/// Beam search over semantic IDs, batched over users (paper §3). The history is encoded once (the scorer's
/// KV cache); then for each level k = 1..L every beam's next-code scores are restricted to the children
/// V(c_&lt;k) of its prefix in the target domain's trie and normalised over that set only:
/// log P(c_k | c_&lt;k, d) = l(c_k) − log Σ_{c∈V(c_&lt;k)} exp l(c). Each user keeps its best
/// <c>beamWidth</c> prefixes. Only the children of live prefixes are scored, so the cost does not depend on
/// the number of items; a prefix with a single item below it is completed without further scoring (its
/// remaining codes have probability 1). Without the trie (ablation "w/o prefix tree") every code of the level is allowed
/// and complete SIDs that are not items of the target domain are counted as invalid and dropped.
/// </summary>
public sealed class ConstrainedBeamSearch
{
    readonly SidVocabulary _vocabulary;
    readonly IReadOnlyList<PrefixTrie> _tries;

    /// <param name="tries">one trie per domain, each over that domain's SIDs</param>
    public ConstrainedBeamSearch(SidVocabulary vocabulary, IReadOnlyList<PrefixTrie> tries)
    {
        if (tries.Count != vocabulary.DomainCount) throw new ArgumentException("one prefix trie per domain is required");
        if (tries.Any(t => t.Levels != vocabulary.Levels)) throw new ArgumentException("trie depth differs from the vocabulary's levels");
        _vocabulary = vocabulary;
        _tries = tries;
    }

    sealed record Beam(int User, int[] Codes, PrefixTrie.Node? Node, double Score);

    /// <summary>Top-<paramref name="k"/> distinct items per user (fewer if fewer valid ones were found).</summary>
    /// <param name="usersPerBatch">users decoded together; bounds the KV-cache memory</param>
    public DecodeResult Search(IStepScorer scorer, IReadOnlyList<int[]> prompts, IReadOnlyList<int> targetDomains,
        int beamWidth, int k, bool constrained = true, int usersPerBatch = 64)
    {
        if (prompts.Count != targetDomains.Count) throw new ArgumentException("one target domain per prompt is required");
        if (beamWidth < 1 || k < 1) throw new ArgumentOutOfRangeException(nameof(beamWidth), "beam width and k must be at least 1");
        // Users are decoded in batches of similar prompt length: a batch is left-padded to its longest prompt, and
        // real histories range from 2 to MaxItems items, so batching in input order spends much of the prefill
        // (the largest share of decoding) on padding. Results go back to input order.
        var order = Enumerable.Range(0, prompts.Count).OrderBy(i => prompts[i].Length).ToArray();
        var perUser = new IReadOnlyList<Recommendation>[prompts.Count];
        int generated = 0, invalid = 0;
        for (int start = 0; start < order.Length; start += usersPerBatch)
        {
            var batch = order.AsSpan(start, Math.Min(usersPerBatch, order.Length - start)).ToArray();
            var (lists, g, bad) = SearchBatch(scorer, batch.Select(i => prompts[i]).ToList(),
                batch.Select(i => targetDomains[i]).ToList(), beamWidth, k, constrained);
            for (int j = 0; j < batch.Length; j++) perUser[batch[j]] = lists[j];
            generated += g;
            invalid += bad;
        }
        return new DecodeResult(perUser, generated, invalid);
    }

    (List<IReadOnlyList<Recommendation>>, int, int) SearchBatch(IStepScorer scorer, IReadOnlyList<int[]> prompts,
        IReadOnlyList<int> domains, int beamWidth, int k, bool constrained)
    {
        int users = prompts.Count, levels = _vocabulary.Levels, codes = _vocabulary.CodesPerLevel;
        using var session = scorer.Begin(prompts, domains);
        var beams = Enumerable.Range(0, users).Select(u => new Beam(u, [], _tries[domains[u]].Root, 0.0)).ToList();
        var scoreRow = Enumerable.Range(0, users).ToArray();   // each beam's row in the session, −1 for none
        for (int level = 0; level < levels; level++)
        {
            var scores = scoreRow.Any(r => r >= 0) ? session.NextScores(_vocabulary.CodeToken(level, 0), codes) : [];
            var candidates = new List<(int Parent, int Code, double Score)>[users];
            for (int u = 0; u < users; u++) candidates[u] = [];
            for (int b = 0; b < beams.Count; b++)
            {
                var beam = beams[b];
                if (scoreRow[b] < 0)
                {
                    // the only allowed code: probability 1 after normalising over V(c_<k)
                    candidates[beam.User].Add((b, beam.Node!.Children.Keys.Single(), beam.Score));
                    continue;
                }
                var rowScores = scores.AsSpan(scoreRow[b] * codes, codes);
                IEnumerable<int> allowed = constrained ? beam.Node!.Children.Keys : Enumerable.Range(0, codes);
                double logNorm = LogSumExp(rowScores, allowed);
                foreach (var code in allowed)
                    candidates[beam.User].Add((b, code, beam.Score + rowScores[code] - logNorm));
            }
            var next = new List<Beam>(beams.Count);
            var parents = new List<int>(beams.Count);
            for (int u = 0; u < users; u++)
            {
                candidates[u].Sort((a, b) => b.Score.CompareTo(a.Score));
                foreach (var (parent, code, score) in candidates[u].Take(beamWidth))
                {
                    var beam = beams[parent];
                    next.Add(new Beam(u, [.. beam.Codes, code], constrained ? beam.Node!.Children[code] : null, score));
                    parents.Add(parent);
                }
            }
            beams = next;
            if (next.Count == 0 || level + 1 == levels) break;
            // The KV cache follows the surviving beams (reordered inside the scorer). A prefix with a single item
            // below it needs no more scores: the rest of its SID is certain (each remaining code has probability
            // 1 over V(c_<k)), so only the other beams are fed. Real SIDs are mostly unique after two or three
            // codes, so this skips most rows of the later steps.
            var parentRow = scoreRow;   // a beam that is fed has a parent that was fed
            scoreRow = new int[next.Count];
            var rowParents = new List<long>(next.Count);
            var rowTokens = new List<long>(next.Count);
            for (int b = 0; b < next.Count; b++)
            {
                if (constrained && next[b].Node!.ItemCount == 1) { scoreRow[b] = -1; continue; }
                scoreRow[b] = rowParents.Count;
                rowParents.Add(parentRow[parents[b]]);
                rowTokens.Add(_vocabulary.CodeToken(level, next[b].Codes[^1]));
            }
            if (rowParents.Count > 0) session.Advance([.. rowParents], [.. rowTokens]);
        }
        return Finish(beams, users, domains, k, constrained);
    }

    (List<IReadOnlyList<Recommendation>>, int, int) Finish(List<Beam> beams, int users, IReadOnlyList<int> domains, int k, bool constrained)
    {
        var lists = new List<Recommendation>[users];
        for (int u = 0; u < users; u++) lists[u] = [];
        int invalid = 0;
        foreach (var beam in beams)
        {
            int item = constrained ? beam.Node!.Item : _tries[domains[beam.User]].TryGetItem(beam.Codes, out var found) ? found : -1;
            if (item < 0) { invalid++; continue; }
            if (lists[beam.User].Count < k) lists[beam.User].Add(new Recommendation(item, beam.Codes, beam.Score));
        }
        return (lists.Select(l => (IReadOnlyList<Recommendation>)l).ToList(), beams.Count, invalid);
    }

    static double LogSumExp(ReadOnlySpan<float> scores, IEnumerable<int> allowed)
    {
        double max = double.NegativeInfinity;
        foreach (var c in allowed) max = Math.Max(max, scores[c]);
        double sum = 0;
        foreach (var c in allowed) sum += Math.Exp(scores[c] - max);
        return max + Math.Log(sum);
    }
}
