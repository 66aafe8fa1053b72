namespace GenCdr.Data.Synthetic;

// The words the generated items are made of. Every word carries latent values, so that an item's text
// and its latent factors agree: a model that reads the title can recover (part of) what drives users.
//
// Two latent axes are shared by all domains, so a user's taste shown in one domain predicts the other:
//   Style: +1 technical/outdoorsy ... -1 urban/casual
//   Price: +1 premium ... -1 budget
// Colours are a third, categorical taste, also shared across domains.

/// <summary>A kind of product (the last words of a title). <see cref="Successors"/> are the types a
/// user tends to buy next in the same domain (a tent is often followed by a sleeping bag), which puts a
/// sequential pattern into the data. <see cref="Frequency"/> is the type's base share of purchases.</summary>
public sealed record ProductType(string Name, string Group, double Style, MaterialKind Materials,
    double Frequency, IReadOnlyList<string> Successors);

/// <summary>What a product can be made of: keeps titles plausible ("titanium stove", not "titanium tent").</summary>
public enum MaterialKind { Fabric, Hard, Shell, Knit, Woven, Leather }

/// <summary>A brand. Brands whose name appears in both domains carry text shared across domains.</summary>
public sealed record Brand(string Name, double Style, double Price);

/// <summary>An adjective such as "waterproof" or "tailored", with its pull on both latent axes.</summary>
public sealed record Descriptor(string Word, double Style, double Price);

/// <summary>A material with the kind of products it suits and its price signal.</summary>
public sealed record Material(string Name, MaterialKind Kind, double Price);

/// <summary>Everything needed to write the item titles of one domain.</summary>
public sealed record DomainVocabulary(string Name, string DisplayName, string ItemIdPrefix,
    IReadOnlyList<ProductType> Types, IReadOnlyList<Brand> Brands, IReadOnlyList<Descriptor> Descriptors,
    IReadOnlyList<Material> Materials);
