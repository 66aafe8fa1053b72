using GenCdr.Recommender;

namespace GenCdr.Text;

/// <summary>
/// The tokenizer of a Hugging Face checkpoint folder, read from its tokenizer.json by the Hugging Face tokenizers
/// library itself (Tokenizers.DotNet wraps its Rust implementation), so a Qwen2 prompt is split exactly as the LLM was
/// trained to read it: byte-level BPE with Qwen2's pre-tokenizer and merges, nothing re-implemented here.
/// Not thread-safe; the callers tokenize once per item (at load, or on the serving worker for an added item).
/// </summary>
public sealed class CheckpointTokenizer : IDisposable
{
    public const string File = "tokenizer.json";
    readonly Tokenizers.DotNet.Tokenizer _tokenizer;

    /// <summary>The path of the tokenizer.json this tokenizer was read from.</summary>
    public string Path { get; }

    CheckpointTokenizer(Tokenizers.DotNet.Tokenizer tokenizer, string path) => (_tokenizer, Path) = (tokenizer, path);

    /// <summary>The tokenizer of checkpoint folder <paramref name="folder"/>; a one-line error naming the file when it is
    /// missing or not a tokenizer the library can read.</summary>
    public static CheckpointTokenizer Open(string folder)
    {
        string path = System.IO.Path.Combine(folder, File);
        if (!System.IO.File.Exists(path))
            throw new GenCdrException($"{path}: not found (PromptItemText tokenizes item text with the checkpoint's own tokenizer.json)");
        try { return new CheckpointTokenizer(new Tokenizers.DotNet.Tokenizer(path), path); }
        catch (Exception e) when (e is not GenCdrException)
        {
            throw new GenCdrException($"{path}: not a tokenizer the Hugging Face tokenizers library can read ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>The token ids of <paramref name="text"/> (no special tokens added by us), at most <paramref name="maxTokens"/>:
    /// the first ones, since a title leads with what the item is.</summary>
    public int[] Encode(string text, int maxTokens)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var ids = _tokenizer.Encode(text);
        int n = Math.Min(ids.Length, maxTokens);
        var result = new int[n];
        for (int i = 0; i < n; i++) result[i] = checked((int)ids[i]);
        return result;
    }

    public void Dispose() => _tokenizer.Dispose();
}
