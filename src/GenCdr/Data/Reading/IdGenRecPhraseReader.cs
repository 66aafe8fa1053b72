namespace GenCdr.Data;

/// <summary>
/// Reads IDGenRec's <c>item_generative_indexing_phase_0.txt</c>: "asin phrase words ...", one item per line.
/// The phrases are IDGenRec's generated textual IDs, not Amazon titles; they are the only item text available
/// for Sports here (see the data's PROVENANCE.md), so the phrase becomes the item's title.
/// </summary>
public static class IdGenRecPhraseReader
{
    public static IEnumerable<(string ItemId, ItemText Text)> Read(string path)
    {
        foreach (var (number, line) in LineSource.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            string trimmed = line.Trim();
            int space = trimmed.IndexOfAny([' ', '\t']);
            if (space < 0) throw GenCdrException.AtLine(path, number, "expected 'item phrase...', found no phrase");
            string id = trimmed[..space];
            string phrase = ItemTextFields.Clean(trimmed[(space + 1)..]);
            yield return (id, new ItemText(phrase, "", Array.Empty<string>(), ""));
        }
    }
}
