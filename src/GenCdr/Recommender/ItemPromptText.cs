using GenCdr.Data;
using GenCdr.Text;

namespace GenCdr.Recommender;

/// <summary>
/// The words each item brings into the prompt when <see cref="RecommenderConfig.PromptItemText"/> is on: per domain and
/// item, its text (<see cref="ItemTextBuilder"/>, the text it is embedded from) tokenized with the checkpoint's
/// tokenizer (<see cref="CheckpointTokenizer"/>), the first <see cref="RecommenderConfig.PromptTextTokens"/> tokens, as
/// model tokens: LLM token t is model token <see cref="SidVocabulary.Size"/> + t, embedded by the checkpoint's own row
/// (<see cref="DecoderTransformer.Embed"/>). Items appended while serving get theirs through <see cref="Tokenize"/> and
/// <see cref="Add"/>; the tokenizer they need is opened at the first and kept until <see cref="Dispose"/> (reading a
/// Qwen2 tokenizer.json, 7 MB, for every added item would hold up the serving worker each time).
/// </summary>
public sealed class ItemPromptText : IDisposable
{
    readonly List<int[]>[] _tokens;
    readonly string _checkpoint;
    CheckpointTokenizer? _forNewItems;
    readonly ItemTextBuilder _text;
    readonly int _offset, _maxTokens, _textVocabulary;

    ItemPromptText(string checkpoint, ItemTextBuilder text, int offset, int maxTokens, int textVocabulary, int domains)
    {
        (_checkpoint, _text, _offset, _maxTokens, _textVocabulary) = (checkpoint, text, offset, maxTokens, textVocabulary);
        _tokens = Enumerable.Range(0, domains).Select(_ => new List<int[]>()).ToArray();
    }

    /// <summary>Every item's prompt tokens; null when the configuration does not put text in the prompt.</summary>
    /// <param name="sidVocabularySize">the model's SID vocabulary size: the first text token's model id</param>
    /// <param name="includeDescription">as the text encoder's setting (<see cref="TextEncoderConfig.IncludeDescription"/>)</param>
    public static ItemPromptText? For(IReadOnlyList<IReadOnlyList<Item>> items, RecommenderConfig config, int sidVocabularySize, bool includeDescription)
    {
        if (!config.PromptItemText) return null;
        var folder = config.PretrainedBackbone ?? throw new GenCdrException("recommender: PromptItemText needs a PretrainedBackbone");
        var prompt = new ItemPromptText(folder, new ItemTextBuilder(includeDescription),
            sidVocabularySize, config.PromptTextTokens, config.TextVocabularySize, items.Count);
        using var tokenizer = CheckpointTokenizer.Open(folder);
        for (int d = 0; d < items.Count; d++)
            foreach (var item in items[d]) prompt._tokens[d].Add(prompt.Tokenize(tokenizer, item.Text));
        return prompt;
    }

    /// <summary>The prompt tokens of item <paramref name="item"/> of domain <paramref name="domain"/>.</summary>
    public int[] Of(int domain, int item) => _tokens[domain][item];

    public int ItemCount(int domain) => _tokens[domain].Count;

    /// <summary>The prompt tokens of a new item's text, checked against the checkpoint's embedding rows; changes nothing.</summary>
    public int[] Tokenize(ItemText text) => Tokenize(_forNewItems ??= CheckpointTokenizer.Open(_checkpoint), text);

    int[] Tokenize(CheckpointTokenizer tokenizer, ItemText text)
    {
        var ids = tokenizer.Encode(_text.Build(text), _maxTokens);
        foreach (int id in ids)
            if ((uint)id >= (uint)_textVocabulary)
                throw new GenCdrException($"{tokenizer.Path}: token id {id} is beyond the checkpoint's {_textVocabulary} embedding rows (config.json vocab_size)");
        return ids.Select(id => _offset + id).ToArray();
    }

    /// <summary>Appends the prompt tokens of a new item (from <see cref="Tokenize"/>) as the next item of the domain.</summary>
    public void Add(int domain, int[] tokens) => _tokens[domain].Add(tokens);

    public void Dispose()
    {
        _forNewItems?.Dispose();
        _forNewItems = null;
    }
}
