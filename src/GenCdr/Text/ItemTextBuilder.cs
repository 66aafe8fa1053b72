using System.Text;
using GenCdr.Data;

namespace GenCdr.Text;

/// <summary>THE one place where the text fed to the encoder for an item is built (paper §2.1: each item is
/// represented by its textual content, embedded once). Format:
/// <c>"{Title}. Brand: {Brand}. Categories: {c1}, {c2}."</c> followed by <c>" Description: {Description}."</c>
/// when <see cref="IncludeDescription"/> is set. Empty fields are left out with their label, runs of
/// white space (including new lines) become one space, a title already ending in . ! or ? gets no extra
/// full stop, repeated categories appear once, and an item with no text gives the empty string.
/// Changing this format changes every cached embedding (the cache is keyed by the text itself).</summary>
public sealed class ItemTextBuilder(bool includeDescription = false)
{
    /// <summary>Whether the (often long, noisy) description is appended. The paper embeds item text without
    /// fixing the fields; our default is false: titles, brands and categories are short and informative,
    /// and MiniLM truncates at 128 tokens anyway.</summary>
    public bool IncludeDescription { get; } = includeDescription;

    public string Build(Item item) => Build(item.Text);

    public IReadOnlyList<string> BuildAll(IEnumerable<Item> items) => items.Select(Build).ToArray();

    public string Build(ItemText text)
    {
        var parts = new List<string>(4);
        AddSentence(parts, "", text.Title);
        AddSentence(parts, "Brand: ", text.Brand);
        var categories = text.Categories.Select(Clean).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (categories.Length > 0) AddSentence(parts, "Categories: ", string.Join(", ", categories));
        if (IncludeDescription) AddSentence(parts, "Description: ", text.Description);
        return string.Join(' ', parts);
    }

    private static void AddSentence(List<string> parts, string label, string value)
    {
        var clean = Clean(value);
        if (clean.Length == 0) return;
        var endsSentence = clean[^1] is '.' or '!' or '?';
        parts.Add(label + clean + (endsSentence ? "" : "."));
    }

    /// <summary>Trims and collapses every run of white space to a single space.</summary>
    private static string Clean(string value)
    {
        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c)) { pendingSpace = builder.Length > 0; continue; }
            if (pendingSpace) builder.Append(' ');
            pendingSpace = false;
            builder.Append(c);
        }
        return builder.ToString();
    }
}
