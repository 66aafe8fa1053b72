namespace GenCdr.Recommender;

/// <summary>
/// The recommender's token vocabulary (spec §1d): the special tokens, one token per domain, and
/// level-specific code tokens, so that code c of level m and code c of level m' are different tokens.
/// Layout: PAD=0, BOS=1, EOS=2, SEP=3, domain d → 4 + d, code (m, c) → 4 + D + m·C + c.
/// An item is written as [domain token, c_1 … c_L], L including any disambiguation level.
/// </summary>
public sealed class SidVocabulary
{
    public const int Pad = 0, Bos = 1, Eos = 2, Sep = 3;
    const int SpecialCount = 4;

    public int DomainCount { get; }
    /// <summary>L: codes per item (tokenizer levels plus the disambiguation level).</summary>
    public int Levels { get; }
    /// <summary>C: the size of every level's code book (the largest, if they differ).</summary>
    public int CodesPerLevel { get; }
    public int Size => SpecialCount + DomainCount + Levels * CodesPerLevel;
    int CodeOffset => SpecialCount + DomainCount;

    public SidVocabulary(int domainCount, int levels, int codesPerLevel)
    {
        if (domainCount < 1 || levels < 1 || codesPerLevel < 1)
            throw new ArgumentException("domains, levels and codes per level must be at least 1");
        DomainCount = domainCount;
        Levels = levels;
        CodesPerLevel = codesPerLevel;
    }

    public int DomainToken(int domain)
    {
        if ((uint)domain >= (uint)DomainCount) throw new ArgumentOutOfRangeException(nameof(domain));
        return SpecialCount + domain;
    }

    public int CodeToken(int level, int code)
    {
        if ((uint)level >= (uint)Levels) throw new ArgumentOutOfRangeException(nameof(level));
        if ((uint)code >= (uint)CodesPerLevel) throw new ArgumentOutOfRangeException(nameof(code), $"code {code} ≥ {CodesPerLevel}");
        return CodeOffset + level * CodesPerLevel + code;
    }

    public bool IsDomainToken(int token) => token >= SpecialCount && token < CodeOffset;
    public bool IsCodeToken(int token) => token >= CodeOffset && token < Size;

    /// <summary>The domain of a domain token.</summary>
    public int DomainOf(int token) => IsDomainToken(token) ? token - SpecialCount
        : throw new ArgumentException($"token {token} is not a domain token");

    /// <summary>The (level, code) of a code token.</summary>
    public (int Level, int Code) CodeOf(int token) => IsCodeToken(token)
        ? (Math.DivRem(token - CodeOffset, CodesPerLevel).Quotient, (token - CodeOffset) % CodesPerLevel)
        : throw new ArgumentException($"token {token} is not a code token");

    /// <summary>The tokens of one item: [domain token, c_1 … c_L].</summary>
    public int[] ItemTokens(int domain, IReadOnlyList<int> codes)
    {
        if (codes.Count != Levels) throw new ArgumentException($"an item needs {Levels} codes, got {codes.Count}");
        var tokens = new int[Levels + 1];
        tokens[0] = DomainToken(domain);
        for (int m = 0; m < Levels; m++) tokens[m + 1] = CodeToken(m, codes[m]);
        return tokens;
    }

    /// <summary>Reads an item back from [domain token, c_1 … c_L]; the codes must be of levels 0..L−1 in order.</summary>
    public (int Domain, int[] Codes) DecodeItem(ReadOnlySpan<int> tokens)
    {
        if (tokens.Length != Levels + 1) throw new ArgumentException($"an item is {Levels + 1} tokens");
        var codes = new int[Levels];
        for (int m = 0; m < Levels; m++)
        {
            var (level, code) = CodeOf(tokens[m + 1]);
            if (level != m) throw new ArgumentException($"token {tokens[m + 1]} is a level-{level} code at level {m}");
            codes[m] = code;
        }
        return (DomainOf(tokens[0]), codes);
    }

    /// <summary>A readable name for a token, for logs and tests: &lt;bos&gt;, &lt;d1&gt;, &lt;2_17&gt;.</summary>
    public string Describe(int token) => token switch
    {
        Pad => "<pad>", Bos => "<bos>", Eos => "<eos>", Sep => "<sep>",
        _ when IsDomainToken(token) => $"<d{DomainOf(token)}>",
        _ when IsCodeToken(token) => $"<{CodeOf(token).Level}_{CodeOf(token).Code}>",
        _ => throw new ArgumentOutOfRangeException(nameof(token)),
    };
}
