using GenCdr.Decoding;

namespace GenCdr.Tests.Decoding;

public class PrefixTrieTests
{
    static readonly int[][] Sids = [[0, 1, 0], [0, 1, 1], [0, 2, 0], [3, 0, 0]];

    [Fact]
    public void AdmitsExactlyTheStoredSids()
    {
        var trie = PrefixTrie.Build(3, Sids);
        Assert.Equal(4, trie.Count);
        var admitted = new List<int[]>();
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
                for (int c = 0; c < 4; c++)
                    if (trie.TryGetItem([a, b, c], out _)) admitted.Add([a, b, c]);
        Assert.Equal(Sids.Select(s => string.Join(",", s)).Order(), admitted.Select(s => string.Join(",", s)).Order());
        for (int i = 0; i < Sids.Length; i++) { Assert.True(trie.TryGetItem(Sids[i], out var item)); Assert.Equal(i, item); }
    }

    [Fact]
    public void ChildrenAreTheValidExtensionsOfAPrefix()
    {
        var trie = PrefixTrie.Build(3, Sids);
        Assert.Equal([0, 3], trie.Children([]).Order());
        Assert.Equal([1, 2], trie.Children([0]).Order());
        Assert.Equal([0, 1], trie.Children([0, 1]).Order());
        Assert.Empty(trie.Children([1]));
        Assert.Empty(trie.Children([0, 1, 1]));
        Assert.False(trie.TryGetItem([0, 1], out _));
    }

    [Fact]
    public void AddExtendsTheTrieAndRejectsDuplicates()
    {
        var trie = PrefixTrie.Build(3, Sids);
        trie.Add([3, 0, 1], 4);
        Assert.True(trie.TryGetItem([3, 0, 1], out var item));
        Assert.Equal(4, item);
        Assert.Throws<ArgumentException>(() => trie.Add([0, 1, 0], 9));
        Assert.Throws<ArgumentException>(() => trie.Add([0, 1], 9));
    }
}
