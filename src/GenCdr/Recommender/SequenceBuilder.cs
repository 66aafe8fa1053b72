namespace GenCdr.Recommender;

/// <summary>An item of a history: its domain, its semantic ID (c_1 … c_L) and, when the prompt carries item text
/// (<see cref="RecommenderConfig.PromptItemText"/>), its text as model tokens (<see cref="ItemPromptText"/>).</summary>
public readonly record struct SidItem(int Domain, int[] Codes, int[]? Text = null);

/// <summary>
/// Writes a user's merged, time-ordered cross-domain history as recommender tokens (paper §2a):
/// BOS, then [domain token, c_1 … c_L] per item, keeping only the last <c>maxItems</c> items.
/// The loss is on every code token (c_m predicted from everything before it, including the item's domain
/// token); the domain token itself is input only, because at inference the target domain is given.
/// An item with text is written [domain token, c_1 … c_L, text tokens]: the text follows the codes, so the codes of
/// an item are predicted from its domain token exactly as at inference, where the item to generate has no text yet;
/// the text is input only (no loss), context for the items after it.
/// </summary>
public sealed class SequenceBuilder(SidVocabulary vocabulary, int maxItems = 20)
{
    public SidVocabulary Vocabulary { get; } = vocabulary;
    public int MaxItems { get; } = maxItems > 0 ? maxItems : throw new ArgumentOutOfRangeException(nameof(maxItems));

    /// <summary>The training sequence of a history (the last <see cref="MaxItems"/> items).</summary>
    public TokenSequence Build(IReadOnlyList<SidItem> history)
    {
        int first = Math.Max(0, history.Count - MaxItems);
        int n = 1;
        for (int i = first; i < history.Count; i++) n += Vocabulary.Levels + 1 + (history[i].Text?.Length ?? 0);
        var tokens = new int[n];
        var targets = new int[n];
        var domains = new int[n];
        var levels = new int[n];
        Array.Fill(targets, -1);
        Array.Fill(domains, -1);
        Array.Fill(levels, -1);
        tokens[0] = SidVocabulary.Bos;
        int t = 1;
        for (int i = first; i < history.Count; i++)
        {
            var item = Vocabulary.ItemTokens(history[i].Domain, history[i].Codes);
            item.CopyTo(tokens, t);
            // position t holds the domain token; positions t..t+L−1 predict c_1..c_L
            for (int m = 0; m < Vocabulary.Levels; m++)
            {
                targets[t + m] = item[m + 1];
                domains[t + m] = history[i].Domain;
                levels[t + m] = m;
            }
            t += item.Length;
            if (history[i].Text is { } text)
            {
                text.CopyTo(tokens, t);
                t += text.Length;
            }
        }
        return new TokenSequence(tokens, targets, domains, levels);
    }

    /// <summary>The decoding prompt: BOS, the last <see cref="MaxItems"/> history items, then the target
    /// domain's token, after which the model generates c_1 … c_L.</summary>
    public int[] BuildPrompt(IReadOnlyList<SidItem> history, int targetDomain)
    {
        var tokens = Build(history).Tokens;
        var prompt = new int[tokens.Length + 1];
        tokens.CopyTo(prompt, 0);
        prompt[^1] = Vocabulary.DomainToken(targetDomain);
        return prompt;
    }
}
