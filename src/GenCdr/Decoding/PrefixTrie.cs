namespace GenCdr.Decoding;

/// <summary>
/// The domain-aware prefix tree of paper §3: one per domain, over the semantic IDs (c_1 … c_L) of that
/// domain's items. A node's children are the codes that extend its prefix to at least one valid item, so
/// decoding masked to them can only produce existing items of the domain. Leaves store the item index.
/// Memory and lookup cost grow with the number of items, but a decoding step only touches the children of
/// the current prefixes, never the item pool.
/// </summary>
public sealed class PrefixTrie
{
    /// <summary>A prefix; <see cref="Item"/> is the item index at a leaf (depth L), −1 elsewhere.</summary>
    public sealed class Node
    {
        readonly Dictionary<int, Node> _children = [];
        public IReadOnlyDictionary<int, Node> Children => _children;
        public int Item { get; internal set; } = -1;
        /// <summary>Items whose SID starts with this prefix. With one, the rest of the SID is certain.</summary>
        public int ItemCount { get; internal set; }
        internal Node GetOrAdd(int code)
        {
            if (!_children.TryGetValue(code, out var child)) _children[code] = child = new Node();
            return child;
        }
    }

    public int Levels { get; }
    public int Count { get; private set; }
    public Node Root { get; } = new();

    public PrefixTrie(int levels)
    {
        if (levels < 1) throw new ArgumentOutOfRangeException(nameof(levels));
        Levels = levels;
    }

    /// <summary>Builds the trie of a domain: <paramref name="sids"/>[i] is the SID of item i.</summary>
    public static PrefixTrie Build(int levels, IReadOnlyList<int[]> sids)
    {
        var trie = new PrefixTrie(levels);
        for (int i = 0; i < sids.Count; i++) trie.Add(sids[i], i);
        return trie;
    }

    /// <summary>Adds an item (e.g. a new item tokenized after training). SIDs must be unique within a domain (spec §1d).</summary>
    public void Add(IReadOnlyList<int> sid, int item)
    {
        if (sid.Count != Levels) throw new ArgumentException($"a SID has {Levels} codes, got {sid.Count}");
        if (item < 0) throw new ArgumentOutOfRangeException(nameof(item));
        var node = Root;
        foreach (var code in sid) node = node.GetOrAdd(code);
        if (node.Item >= 0)
            throw new ArgumentException($"SID ({string.Join(",", sid)}) already belongs to item {node.Item}; SIDs must be unique within a domain");
        node.Item = item;
        node = Root;
        node.ItemCount++;
        foreach (var code in sid) (node = node.Children[code]).ItemCount++;
        Count++;
    }

    /// <summary>The node of a prefix, or null when no item starts with it.</summary>
    public Node? Find(ReadOnlySpan<int> prefix)
    {
        var node = Root;
        foreach (var code in prefix)
            if (!node.Children.TryGetValue(code, out node!)) return null;
        return node;
    }

    /// <summary>The allowed next codes V(c_&lt;k) after a prefix (empty for an invalid or complete prefix).</summary>
    public IEnumerable<int> Children(ReadOnlySpan<int> prefix) => Find(prefix)?.Children.Keys ?? Enumerable.Empty<int>();

    /// <summary>The item with exactly this SID.</summary>
    public bool TryGetItem(ReadOnlySpan<int> sid, out int item)
    {
        item = sid.Length == Levels ? Find(sid)?.Item ?? -1 : -1;
        return item >= 0;
    }
}
