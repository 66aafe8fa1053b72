namespace GenCdr.Text;

/// <summary>A string hash that is the same in every process and on every machine (string.GetHashCode is
/// randomised per process, so it cannot name a feature across runs): 64-bit FNV-1a over UTF-16 code units,
/// followed by the SplitMix64 finaliser so that low bits (the bucket) and the top bit (the sign) are
/// independent enough for feature hashing.</summary>
public static class StableHash
{
    public const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The FNV-1a offset basis perturbed by <paramref name="seed"/>, so different seeds give different hash families.</summary>
    public static ulong Basis(int seed) => Mix(FnvOffsetBasis ^ (ulong)(uint)seed);

    /// <summary>Continues an FNV-1a hash <paramref name="state"/> with the characters of <paramref name="text"/>
    /// (low byte, then high byte of each), so hash("a b") can be built from hash("a").</summary>
    public static ulong Fnv1a(ReadOnlySpan<char> text, ulong state)
    {
        foreach (var c in text)
        {
            state = (state ^ (byte)c) * FnvPrime;
            state = (state ^ (byte)(c >> 8)) * FnvPrime;
        }
        return state;
    }

    /// <summary>SplitMix64 finaliser: a bijective avalanche of all 64 bits.</summary>
    public static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
