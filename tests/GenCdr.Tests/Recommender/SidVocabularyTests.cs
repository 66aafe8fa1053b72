using GenCdr.Recommender;

namespace GenCdr.Tests.Recommender;

public class SidVocabularyTests
{
    [Fact]
    public void LaysOutSpecialDomainAndLevelSpecificCodeTokens()
    {
        var v = new SidVocabulary(domainCount: 2, levels: 3, codesPerLevel: 5);
        Assert.Equal(4 + 2 + 15, v.Size);
        Assert.Equal(4, v.DomainToken(0));
        Assert.Equal(5, v.DomainToken(1));
        Assert.Equal(6, v.CodeToken(0, 0));
        Assert.Equal(6 + 2 * 5 + 3, v.CodeToken(2, 3));
        Assert.NotEqual(v.CodeToken(0, 1), v.CodeToken(1, 1));
        Assert.Equal((2, 3), v.CodeOf(v.CodeToken(2, 3)));
        Assert.Equal("<1_4>", v.Describe(v.CodeToken(1, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => v.CodeToken(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => v.DomainToken(2));
    }

    [Fact]
    public void ItemTokensRoundTrip()
    {
        var v = new SidVocabulary(3, 4, 8);
        var tokens = v.ItemTokens(2, [7, 0, 3, 5]);
        var (domain, codes) = v.DecodeItem(tokens);
        Assert.Equal(2, domain);
        Assert.Equal([7, 0, 3, 5], codes);
        // codes out of level order are rejected
        Assert.Throws<ArgumentException>(() => v.DecodeItem([tokens[0], tokens[2], tokens[1], tokens[3], tokens[4]]));
    }
}
