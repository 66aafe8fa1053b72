namespace GenCdr.Recommender;

/// <summary>
/// One user's history as recommender tokens, with per-position training targets.
/// Position t is trained to predict <see cref="Targets"/>[t] (the token at t+1) when that token is a code;
/// −1 marks positions without loss (the next token is a domain token, which is known at inference, or the
/// sequence ends).
/// </summary>
/// <param name="Tokens">BOS followed by the items' tokens [domain, c_1 … c_L].</param>
/// <param name="Targets">Next-token target per position, or −1.</param>
/// <param name="TargetDomain">Domain of the item whose code is the target, or −1: lets a stage restrict the
/// loss to one domain's items (paper §2b).</param>
/// <param name="TargetLevel">0-based level m of the target code, or −1. The item's domain token sits at
/// position t − m, which is where the user router reads the history (paper §2c).</param>
public sealed record TokenSequence(int[] Tokens, int[] Targets, int[] TargetDomain, int[] TargetLevel) : IRecommenderSequence
{
    public int Length => Tokens.Length;
    public bool HasTargetIn(int domain) => TargetDomain.Contains(domain);

    /// <summary>A prompt for decoding: no targets.</summary>
    public static TokenSequence Prompt(int[] tokens) =>
        new(tokens, Filled(tokens.Length), Filled(tokens.Length), Filled(tokens.Length));

    static int[] Filled(int n) { var a = new int[n]; Array.Fill(a, -1); return a; }
}
