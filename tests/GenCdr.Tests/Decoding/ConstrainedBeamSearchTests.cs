using GenCdr.Decoding;
using GenCdr.Recommender;

namespace GenCdr.Tests.Decoding;

public class ConstrainedBeamSearchTests
{
    // 2 domains, 3 levels, 4 codes per level
    static readonly SidVocabulary Vocabulary = new(2, 3, 4);
    static readonly int[][] DomainA = [[0, 0, 0], [0, 1, 2], [1, 3, 3], [2, 2, 1]];
    static readonly int[][] DomainB = [[3, 3, 3], [3, 2, 0], [1, 0, 0]];
    static readonly PrefixTrie[] Tries = [PrefixTrie.Build(3, DomainA), PrefixTrie.Build(3, DomainB)];
    static int CodeOffset => Vocabulary.CodeToken(0, 0);

    static FakeStepScorer Scorer(Func<int, int[], int, float> score) => new(CodeOffset, Vocabulary.CodesPerLevel, score);

    [Fact]
    public void ReturnsTheTopItemOfAHandMadeDistribution()
    {
        // user 0 prefers (1,3,3) of domain A; user 1 prefers (3,2,0) of domain B
        int[][] favourite = [[1, 3, 3], [3, 2, 0]];
        var scorer = Scorer((u, prefix, c) => c == favourite[u][prefix.Length] ? 3f : 0f);
        var result = new ConstrainedBeamSearch(Vocabulary, Tries).Search(scorer, [[1], [1]], [0, 1], beamWidth: 3, k: 2);
        Assert.Equal(2, result.PerUser[0][0].Item);
        Assert.Equal(1, result.PerUser[1][0].Item);
        Assert.Equal(1, scorer.Sessions);
        // the score is Σ log P over the allowed children only: (1,3,3) has siblings at levels 1 only
        double level1 = Math.Log(Math.Exp(3) / (Math.Exp(3) + 2)); // children of the root: {0,1,2}
        Assert.Equal(level1, result.PerUser[0][0].Score, 5);      // levels 2 and 3 have a single child: log 1 = 0
        Assert.Equal(0, result.Invalid);
    }

    [Fact]
    public void NeverReturnsAnInvalidOrCrossDomainItem()
    {
        var rng = new Random(3);
        var table = new Dictionary<string, float>();
        // random scores that strongly favour (3,3,3) — an item of domain B only — for a domain-A user
        var scorer = Scorer((u, prefix, c) =>
        {
            var key = $"{u}|{string.Join(",", prefix)}|{c}";
            if (!table.TryGetValue(key, out var s)) table[key] = s = (float)rng.NextDouble() + (c == 3 ? 5 : 0);
            return s;
        });
        var search = new ConstrainedBeamSearch(Vocabulary, Tries);
        var result = search.Search(scorer, [[1], [1], [1]], [0, 0, 1], beamWidth: 20, k: 10);
        for (int u = 0; u < 3; u++)
        {
            var valid = u < 2 ? DomainA : DomainB;
            Assert.Equal(valid.Length, result.PerUser[u].Count);                // every item of the domain, once
            Assert.Equal(valid.Length, result.PerUser[u].Select(r => r.Item).Distinct().Count());
            foreach (var r in result.PerUser[u]) Assert.Equal(valid[r.Item], r.Codes);
            Assert.True(result.PerUser[u].Zip(result.PerUser[u].Skip(1)).All(p => p.First.Score >= p.Second.Score));
        }
        Assert.Equal(0, result.PerUser[2][0].Item);  // (3,3,3), the favoured SID, is item 0 of domain B
    }

    [Fact]
    public void UnconstrainedSearchCountsAndDropsInvalidSids()
    {
        // favours (3,3,3), which is not an item of domain A
        var scorer = Scorer((u, prefix, c) => c == 3 ? 4f : 0f);
        var search = new ConstrainedBeamSearch(Vocabulary, Tries);
        var result = search.Search(scorer, [[1]], [0], beamWidth: 5, k: 5, constrained: false);
        Assert.Equal(5, result.Generated);
        Assert.True(result.Invalid >= 4, $"invalid {result.Invalid}");
        Assert.All(result.PerUser[0], r => Assert.Equal(DomainA[r.Item], r.Codes));
        var constrained = search.Search(scorer, [[1]], [0], beamWidth: 5, k: 5);
        Assert.Equal(0, constrained.Invalid);
        // no root child of domain A is code 3, so the favoured paths are (1,3,3) and (2,2,1): each has prob.
        // 1/3 at level 1 and a single allowed child afterwards (renormalised over the allowed set, paper §3)
        Assert.Contains(constrained.PerUser[0][0].Item, new[] { 2, 3 });
        Assert.Equal(-Math.Log(3), constrained.PerUser[0][0].Score, 5);
    }

    [Fact]
    public void BeamWidthBoundsTheRowsAndBatchesSplitUsers()
    {
        var scorer = Scorer((u, prefix, c) => c);
        var search = new ConstrainedBeamSearch(Vocabulary, Tries);
        var result = search.Search(scorer, [[1], [1], [1]], [0, 1, 0], beamWidth: 2, k: 10, usersPerBatch: 2);
        Assert.Equal(2, scorer.Sessions);
        Assert.True(scorer.MaxRows <= 4);
        Assert.All(result.PerUser, list => Assert.True(list.Count <= 2));
    }

    [Fact]
    public void APrefixWithASingleItemBelowItIsCompletedWithoutScoring()
    {
        // Domain A's root children: 0 → two items, 1 and 2 → one item each. Only prefix (0) is fed at level 2,
        // and its children (0,0) and (0,1) each lead to one item, so level 3 needs no scores at all.
        var scorer = Scorer((u, prefix, c) => c);
        var result = new ConstrainedBeamSearch(Vocabulary, Tries).Search(scorer, [[1]], [0], beamWidth: 20, k: 10);
        Assert.Equal(1, scorer.AdvancedRows);
        Assert.Equal(DomainA.Length, result.PerUser[0].Count);
        // the scores are the full products of the renormalised probabilities: (2,2,1) = log(e²/(1+e+e²)) + 0 + 0
        var top = result.PerUser[0][0];
        Assert.Equal(3, top.Item);
        Assert.Equal(2 - Math.Log(1 + Math.E + Math.Exp(2)), top.Score, 5);
    }

    [Fact]
    public void UsersOfDifferentHistoryLengthsGetTheirOwnResultsInInputOrder()
    {
        // prompts are batched by length; every user's favourite item is named by its prompt's length
        int[][] prompts = [[1, 1, 1, 1], [1], [1, 1, 1], [1, 1]];
        var scorer = new FakeStepScorer(CodeOffset, Vocabulary.CodesPerLevel,
            (prompt, _, prefix, c) => c == DomainA[prompt.Length - 1][prefix.Length] ? 5f : 0f);
        var result = new ConstrainedBeamSearch(Vocabulary, Tries).Search(scorer, prompts, [0, 0, 0, 0], beamWidth: 4, k: 1,
            usersPerBatch: 2);
        Assert.Equal(2, scorer.Sessions);
        Assert.Equal([3, 0, 2, 1], result.PerUser.Select(l => l[0].Item));
    }
}
