using GenCdr.Recommender;

namespace GenCdr.Tests.Recommender;

public class SequenceBuilderTests
{
    static readonly SidVocabulary V = new(2, 2, 3);

    [Fact]
    public void BuildsBosPlusItemsWithLossOnCodesOnly()
    {
        var s = new SequenceBuilder(V, maxItems: 2).Build([new(0, [0, 1]), new(1, [2, 2]), new(0, [1, 0])]);
        // the first item is truncated away: BOS, [d1, 2, 2], [d0, 1, 0]
        int[] expected = [SidVocabulary.Bos, V.DomainToken(1), V.CodeToken(0, 2), V.CodeToken(1, 2),
            V.DomainToken(0), V.CodeToken(0, 1), V.CodeToken(1, 0)];
        Assert.Equal(expected, s.Tokens);
        // position t predicts token t+1 when it is a code; BOS→domain and code→domain have no loss
        Assert.Equal([-1, expected[2], expected[3], -1, expected[5], expected[6], -1], s.Targets);
        Assert.Equal([-1, 1, 1, -1, 0, 0, -1], s.TargetDomain);
        Assert.Equal([-1, 0, 1, -1, 0, 1, -1], s.TargetLevel);
    }

    [Fact]
    public void ItemTextFollowsTheCodesAsInputOnlyAndTheRouterStillReadsTheDomainToken()
    {
        int t0 = V.Size, t1 = V.Size + 1, t2 = V.Size + 2;          // text tokens (ItemPromptText: SID vocabulary size + LLM id)
        var s = new SequenceBuilder(V).Build([new(0, [0, 1], [t0, t1]), new(1, [2, 2], [t2])]);
        int[] expected = [SidVocabulary.Bos, V.DomainToken(0), V.CodeToken(0, 0), V.CodeToken(1, 1), t0, t1,
            V.DomainToken(1), V.CodeToken(0, 2), V.CodeToken(1, 2), t2];
        Assert.Equal(expected, s.Tokens);
        // the codes of each item are predicted from its domain token on, as at inference; no loss on or into text
        Assert.Equal([-1, expected[2], expected[3], -1, -1, -1, expected[7], expected[8], -1, -1], s.Targets);
        using var batch = TokenBatch.Create([s]);
        // each code target's router column is its own item's domain token (where decoding's prompt ends)
        Assert.Equal([0L, 1, 1, 0, 0, 0, 6, 6, 0, 0], batch.RouterColumn.data<long>().ToArray());
        // the prompt for the next item ends with the target domain token, after the last item's text
        var prompt = new SequenceBuilder(V).BuildPrompt([new(0, [0, 1], [t0, t1])], targetDomain: 1);
        Assert.Equal([SidVocabulary.Bos, V.DomainToken(0), V.CodeToken(0, 0), V.CodeToken(1, 1), t0, t1, V.DomainToken(1)], prompt);
    }

    [Fact]
    public void PromptEndsWithTheTargetDomainToken()
    {
        var prompt = new SequenceBuilder(V, maxItems: 5).BuildPrompt([new(0, [0, 1])], targetDomain: 1);
        Assert.Equal([SidVocabulary.Bos, V.DomainToken(0), V.CodeToken(0, 0), V.CodeToken(1, 1), V.DomainToken(1)], prompt);
    }

    [Fact]
    public void BatchesAreLeftPaddedWithPositionsFromTheFirstRealToken()
    {
        var builder = new SequenceBuilder(V);
        var shortSeq = builder.Build([new(0, [0, 1])]);
        var longSeq = builder.Build([new(1, [1, 1]), new(0, [0, 1])]);
        using var batch = TokenBatch.Create([shortSeq, longSeq]);
        Assert.Equal(7, batch.Width);
        var tokens = batch.Tokens.data<long>().ToArray();
        var positions = batch.Positions.data<long>().ToArray();
        var valid = batch.Valid.data<bool>().ToArray();
        var router = batch.RouterColumn.data<long>().ToArray();
        Assert.Equal([0L, 0, 0, 1, V.DomainToken(0), V.CodeToken(0, 0), V.CodeToken(1, 1)], tokens[..7]);
        Assert.Equal([false, false, false, true, true, true, true], valid[..7]);
        Assert.Equal([0L, 0, 0, 0, 1, 2, 3], positions[..7]);
        // both code targets of the short row's item read the router at its domain token (column 4)
        Assert.Equal(4, router[4]);
        Assert.Equal(4, router[5]);
        Assert.Equal(4, router[7 + 5]);     // long row: second item's domain token at column 4, its level-1 target at 5
    }
}
