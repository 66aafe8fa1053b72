using System.Text.Json.Serialization;
using GenCdr.Data;

namespace GenCdr.Serving;

/// <summary>An item to add to a served model without retraining: its id, domain and text (the text is what the
/// tokenizer turns into a semantic ID, paper §1).</summary>
public sealed record NewItem
{
    public string Id { get; init; } = "";
    public string Domain { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Brand { get; init; }
    public List<string>? Categories { get; init; }
    public string? Description { get; init; }

    /// <summary>Derived from the fields above: not part of the JSON (nor of the API's contract).</summary>
    [JsonIgnore] public ItemText Text => new(Title, Brand ?? "", Categories?.ToArray() ?? [], Description ?? "");
}

/// <summary>A new item as added: where it now is in the catalog and its semantic ID.</summary>
public sealed record AddedItem(CatalogItem Item, int[] Sid);
