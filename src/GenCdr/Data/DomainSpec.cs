using System.Text.Json.Serialization;

namespace GenCdr.Data;

/// <summary>The file formats a domain's interactions and item text can be read from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataFormat>))]
public enum DataFormat
{
    /// <summary>Amazon 2014: reviews_&lt;Cat&gt;_5.json(.gz) JSON lines; meta_&lt;Cat&gt;.json(.gz) Python dict literals.</summary>
    Amazon2014,
    /// <summary>Amazon 2018: reviews and meta both strict JSON lines.</summary>
    Amazon2018,
    /// <summary>Plain TSV/CSV: interactions (user, item, timestamp[, domain]); item text (item, title[, brand, categories, description]).</summary>
    Tsv,
    /// <summary>This project's shared files: derived/joined_interactions.tsv (reviewerID asin unixReviewTime)
    /// and derived/joined_items.tsv (asin title), both with that exact header.</summary>
    SharedJoinedTsv,
    /// <summary>IDGenRec's item_generative_indexing_phase_0.txt ("asin phrase..."); item text only.</summary>
    IdGenRecPhrases,
}

/// <summary>
/// Where and how to read one domain. Relative paths are resolved against the data root given to
/// <see cref="DataLoader"/>. A list of these (in JSON) is how a user adds a data set without code.
/// </summary>
public sealed record DomainSpec
{
    /// <summary>The domain's name as shown in results ("Sports"); unique within a data set.</summary>
    public required string Name { get; init; }
    /// <summary>The interactions file (may end in .gz).</summary>
    public required string InteractionsPath { get; init; }
    /// <summary>The item text file; null means every item has empty text.</summary>
    public string? ItemTextPath { get; init; }
    /// <summary>Format of the interactions file (and of the item text file unless <see cref="ItemTextFormat"/> is set).</summary>
    public DataFormat Format { get; init; } = DataFormat.Tsv;
    /// <summary>Format of the item text file when it differs from <see cref="Format"/>.</summary>
    public DataFormat? ItemTextFormat { get; init; }
    /// <summary>For a TSV with a domain column: the value of rows that belong here (default: <see cref="Name"/>).</summary>
    public string? SourceDomain { get; init; }
}

/// <summary>A named list of domains: what a data set name or a spec file resolves to.</summary>
public sealed record DataSetSpec
{
    public required string Name { get; init; }
    public required IReadOnlyList<DomainSpec> Domains { get; init; }
}
