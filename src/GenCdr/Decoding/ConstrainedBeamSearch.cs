using GenCdr.Recommender;

namespace GenCdr.Decoding;

/// <summary>
/// Beam search over semantic IDs, batched over users (paper §3). The history is encoded once (the scorer's
/// KV cache); then for each level k = 1..L every beam's next-code scores are restricted to the children
/// V(c_&lt;k) of its prefix in the target domain's trie and normalised over that set only:
/// log P(c_k | c_&lt;k, d) = l(c_k) − log Σ_{c∈V(c_&lt;k)} exp l(c). Each user keeps its best
/// <c>beamWidth</c> prefixes. Only the children of live prefixes are scored, so the cost does not depend on
/// the number of items. Without the trie (ablation "w/o prefix tree") every code of the level is allowed
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
        var perUser = new List<IReadOnlyList<Recommendation>>(prompts.Count);
        int generated = 0, invalid = 0;
        for (int start = 0; start < prompts.Count; start += usersPerBatch)
        {
            int n = Math.Min(usersPerBatch, prompts.Count - start);
            var (lists, g, bad) = SearchBatch(scorer, prompts.Skip(start).Take(n).ToList(),
                targetDomains.Skip(start).Take(n).ToList(), beamWidth, k, constrained);
            perUser.AddRange(lists);
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
        for (int level = 0; level < levels; level++)
        {
            var scores = session.NextScores(_vocabulary.CodeToken(level, 0), codes);
            var candidates = new List<(int Row, int Code, double Score)>[users];
            for (int u = 0; u < users; u++) candidates[u] = [];
            for (int row = 0; row < beams.Count; row++)
            {
                var beam = beams[row];
                var rowScores = scores.AsSpan(row * codes, codes);
                IEnumerable<int> allowed = constrained ? beam.Node!.Children.Keys : Enumerable.Range(0, codes);
                double logNorm = LogSumExp(rowScores, allowed);
                foreach (var code in allowed)
                    candidates[beam.User].Add((row, code, beam.Score + rowScores[code] - logNorm));
            }
            var next = new List<Beam>(beams.Count);
            var parents = new List<long>(beams.Count);
            var tokens = new List<long>(beams.Count);
            for (int u = 0; u < users; u++)
            {
                candidates[u].Sort((a, b) => b.Score.CompareTo(a.Score));
                foreach (var (row, code, score) in candidates[u].Take(beamWidth))
                {
                    var parent = beams[row];
                    next.Add(new Beam(u, [.. parent.Codes, code], constrained ? parent.Node!.Children[code] : null, score));
                    parents.Add(row);
                    tokens.Add(_vocabulary.CodeToken(level, code));
                }
            }
            // the KV cache follows the surviving beams (reordered by index_select inside the scorer)
            if (next.Count == 0) { beams = next; break; }
            if (level + 1 < levels) session.Advance([.. parents], [.. tokens]);
            beams = next;
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
