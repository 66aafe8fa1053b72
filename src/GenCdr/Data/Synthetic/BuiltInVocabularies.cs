namespace GenCdr.Data.Synthetic;

/// <summary>The two built-in domains of the generated data set: outdoor gear and apparel. Four brands
/// (Summitline, Northpeak, Urbanite, Everyday Outfitters) sell in both, and all colours are shared.</summary>
public static class BuiltInVocabularies
{
    /// <summary>Colours are a taste of the user that holds in every domain.</summary>
    public static readonly IReadOnlyList<string> Colours =
        ["black", "navy", "olive", "forest green", "charcoal", "sand", "burgundy", "orange", "sky blue", "white"];

    static ProductType T(string name, string group, double style, MaterialKind kind, double frequency,
        params string[] successors) => new(name, group, style, kind, frequency, successors);

    public static readonly DomainVocabulary Outdoor = new(
        Name: "outdoor", DisplayName: "Outdoor Gear", ItemIdPrefix: "OUT",
        Types:
        [
            T("tent", "Camping", 1.0, MaterialKind.Fabric, 1.0, "sleeping bag", "sleeping pad", "camping lantern"),
            T("sleeping bag", "Camping", 0.9, MaterialKind.Fabric, 1.0, "sleeping pad", "camping pillow"),
            T("sleeping pad", "Camping", 0.8, MaterialKind.Fabric, 0.8, "camping pillow", "headlamp"),
            T("camping pillow", "Camping", 0.5, MaterialKind.Fabric, 0.6, "camping lantern"),
            T("camping lantern", "Lighting", 0.4, MaterialKind.Hard, 0.7, "headlamp"),
            T("headlamp", "Lighting", 0.7, MaterialKind.Hard, 1.0, "trekking poles"),
            T("camping stove", "Cooking", 0.9, MaterialKind.Hard, 0.8, "cookware set", "water filter"),
            T("cookware set", "Cooking", 0.6, MaterialKind.Hard, 0.8, "water bottle"),
            T("water filter", "Hydration", 1.0, MaterialKind.Hard, 0.6, "water bottle", "hydration bladder"),
            T("water bottle", "Hydration", -0.2, MaterialKind.Hard, 1.4),
            T("hiking backpack", "Packs", 0.9, MaterialKind.Fabric, 1.2, "hydration bladder", "trekking poles"),
            T("hydration bladder", "Hydration", 0.7, MaterialKind.Fabric, 0.6),
            T("daypack", "Packs", -0.3, MaterialKind.Fabric, 1.2, "water bottle"),
            T("commuter backpack", "Packs", -1.0, MaterialKind.Fabric, 1.0, "bike lock"),
            T("trekking poles", "Hiking", 0.8, MaterialKind.Hard, 0.7, "gaiters"),
            T("hiking boots", "Footwear", 1.0, MaterialKind.Fabric, 1.1, "gaiters", "trekking poles"),
            T("gaiters", "Hiking", 1.0, MaterialKind.Fabric, 0.5),
            T("trail running shoes", "Footwear", 0.3, MaterialKind.Fabric, 1.1, "running vest"),
            T("running vest", "Running", 0.2, MaterialKind.Fabric, 0.6, "water bottle"),
            T("yoga mat", "Fitness", -0.9, MaterialKind.Fabric, 1.0, "foam roller"),
            T("foam roller", "Fitness", -0.6, MaterialKind.Hard, 0.6),
            T("bike helmet", "Cycling", -0.8, MaterialKind.Hard, 0.8, "bike lock"),
            T("bike lock", "Cycling", -1.0, MaterialKind.Hard, 0.7),
            T("picnic blanket", "Leisure", -0.7, MaterialKind.Fabric, 0.6, "cooler"),
            T("cooler", "Leisure", -0.2, MaterialKind.Hard, 0.7),
        ],
        Brands:
        [
            new("Trailmaster", 0.8, 0.4), new("Summitline", 0.9, 1.0), new("Northpeak", 0.5, 0.3),
            new("Basecamp Co.", 0.4, -0.7), new("Ridgeway", 0.7, 0.0), new("Urbanite", -0.9, 0.3),
            new("Metro Gear", -0.7, -0.5), new("Pinecrest", 0.3, -0.3), new("Alpenglow", 0.8, 0.8),
            new("Everyday Outfitters", -0.4, -0.9), new("Voyager", 0.0, 0.0), new("Cascadia", 0.6, 0.2),
        ],
        Descriptors:
        [
            new("waterproof", 0.6, 0.2), new("ultralight", 0.7, 0.6), new("rugged", 0.5, 0.0),
            new("compact", 0.1, 0.0), new("insulated", 0.4, 0.2), new("classic", -0.3, 0.0),
            new("minimalist", -0.5, 0.2), new("everyday", -0.6, -0.4), new("essential", -0.2, -0.6),
            new("pro", 0.4, 0.6), new("expedition", 0.9, 0.8), new("urban", -0.9, 0.0),
        ],
        Materials:
        [
            new("nylon", MaterialKind.Fabric, 0.0), new("ripstop nylon", MaterialKind.Fabric, 0.3),
            new("polyester", MaterialKind.Fabric, -0.5), new("canvas", MaterialKind.Fabric, -0.2),
            new("Dyneema", MaterialKind.Fabric, 1.0), new("recycled polyester", MaterialKind.Fabric, 0.0),
            new("aluminium", MaterialKind.Hard, 0.1), new("titanium", MaterialKind.Hard, 0.9),
            new("stainless steel", MaterialKind.Hard, 0.2), new("BPA-free plastic", MaterialKind.Hard, -0.6),
            new("carbon fibre", MaterialKind.Hard, 0.8),
        ]);

    public static readonly DomainVocabulary Apparel = new(
        Name: "apparel", DisplayName: "Clothing", ItemIdPrefix: "APP",
        Types:
        [
            T("rain jacket", "Outerwear", 0.9, MaterialKind.Shell, 1.0, "fleece pullover", "beanie"),
            T("down jacket", "Outerwear", 0.6, MaterialKind.Shell, 0.9, "gloves", "beanie"),
            T("fleece pullover", "Midlayers", 0.7, MaterialKind.Knit, 0.9, "hiking pants"),
            T("softshell jacket", "Outerwear", 0.8, MaterialKind.Shell, 0.7, "hiking pants"),
            T("hiking pants", "Bottoms", 1.0, MaterialKind.Woven, 1.0, "wool socks", "base layer top"),
            T("base layer top", "Base Layers", 0.9, MaterialKind.Knit, 0.7, "thermal leggings"),
            T("thermal leggings", "Base Layers", 0.6, MaterialKind.Knit, 0.6),
            T("wool socks", "Socks", 0.7, MaterialKind.Knit, 1.1),
            T("beanie", "Accessories", 0.2, MaterialKind.Knit, 0.9, "gloves"),
            T("gloves", "Accessories", 0.3, MaterialKind.Leather, 0.8),
            T("sun hat", "Accessories", 0.6, MaterialKind.Woven, 0.6),
            T("t-shirt", "Tops", -0.3, MaterialKind.Knit, 1.5, "shorts"),
            T("shorts", "Bottoms", 0.0, MaterialKind.Woven, 1.0),
            T("hoodie", "Tops", -0.4, MaterialKind.Knit, 1.2, "joggers"),
            T("joggers", "Bottoms", -0.5, MaterialKind.Knit, 1.0),
            T("slim jeans", "Bottoms", -0.9, MaterialKind.Woven, 1.2, "belt", "sneakers"),
            T("belt", "Accessories", -0.8, MaterialKind.Leather, 0.7),
            T("oxford shirt", "Tops", -1.0, MaterialKind.Woven, 1.0, "chinos", "blazer"),
            T("chinos", "Bottoms", -0.9, MaterialKind.Woven, 1.0, "belt"),
            T("blazer", "Outerwear", -1.0, MaterialKind.Woven, 0.7, "oxford shirt", "wool scarf"),
            T("wool scarf", "Accessories", -0.5, MaterialKind.Knit, 0.6),
            T("sneakers", "Footwear", -0.6, MaterialKind.Leather, 1.2, "ankle socks"),
            T("ankle socks", "Socks", -0.3, MaterialKind.Knit, 0.9),
            T("trench coat", "Outerwear", -0.8, MaterialKind.Shell, 0.6, "wool scarf"),
            T("polo shirt", "Tops", -0.6, MaterialKind.Knit, 1.0, "chinos"),
        ],
        Brands:
        [
            new("Summitline", 0.9, 1.0), new("Northpeak", 0.5, 0.3), new("Urbanite", -0.9, 0.3),
            new("Everyday Outfitters", -0.4, -0.9), new("Hollis & Grey", -0.9, 0.9), new("Threadline", -0.5, -0.4),
            new("Fjordwear", 0.6, 0.4), new("Kestrel", 0.3, 0.0), new("Cobble Lane", -0.7, 0.2),
            new("Loomhouse", -0.3, -0.7), new("Granite Apparel", 0.5, -0.2), new("Atelier Nord", -0.8, 1.0),
        ],
        Descriptors:
        [
            new("waterproof", 0.6, 0.2), new("breathable", 0.4, 0.0), new("stretch", 0.0, 0.0),
            new("slim-fit", -0.7, 0.1), new("relaxed-fit", -0.2, -0.2), new("technical", 0.7, 0.4),
            new("classic", -0.5, 0.1), new("tailored", -0.9, 0.6), new("everyday", -0.3, -0.4),
            new("windproof", 0.6, 0.2), new("lightweight", 0.2, 0.0), new("premium", -0.2, 0.8),
        ],
        Materials:
        [
            new("Gore-Tex", MaterialKind.Shell, 1.0), new("nylon", MaterialKind.Shell, 0.0),
            new("recycled polyester", MaterialKind.Shell, -0.3), new("waxed cotton", MaterialKind.Shell, 0.4),
            new("cotton", MaterialKind.Knit, -0.3), new("organic cotton", MaterialKind.Knit, 0.2),
            new("merino wool", MaterialKind.Knit, 0.8), new("fleece", MaterialKind.Knit, -0.2),
            new("polyester", MaterialKind.Knit, -0.6),
            new("cotton twill", MaterialKind.Woven, -0.2), new("denim", MaterialKind.Woven, -0.1),
            new("linen", MaterialKind.Woven, 0.3), new("wool blend", MaterialKind.Woven, 0.5),
            new("leather", MaterialKind.Leather, 0.6), new("suede", MaterialKind.Leather, 0.5),
            new("canvas", MaterialKind.Leather, -0.4),
        ]);
}
