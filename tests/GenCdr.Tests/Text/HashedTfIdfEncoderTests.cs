using GenCdr.Text;

namespace GenCdr.Tests.Text;

public class HashedTfIdfEncoderTests
{
    private static readonly string[] Texts =
    [
        "Levi's 501 Original Fit Jeans for men",
        "Levi's men's 501 original fit jeans, stonewash",
        "Stainless steel chef knife with wooden handle",
        "",
    ];

    [Fact]
    public void Same_texts_give_identical_vectors_across_instances()
    {
        var a = new HashedTfIdfEncoder(256, seed: 3).Encode(Texts);
        var b = new HashedTfIdfEncoder(256, seed: 3).Encode(Texts.Reverse().ToArray()).Reverse().ToArray();
        for (var i = 0; i < Texts.Length; i++) Assert.Equal(a[i], b[i]);
    }

    [Fact]
    public void Hash_is_standard_FNV1a_over_UTF16LE_bytes_and_pinned()
    {
        // Reference: textbook 64-bit FNV-1a over the bytes, written independently of StableHash.
        static ulong Reference(string s)
        {
            var h = 14695981039346656037UL;
            foreach (var b in System.Text.Encoding.Unicode.GetBytes(s)) h = (h ^ b) * 1099511628211UL;
            return h;
        }
        foreach (var s in new[] { "a", "jeans", "café", "日本" })
            Assert.Equal(Reference(s), StableHash.Fnv1a(s, StableHash.FnvOffsetBasis));
        // Pinned: if this changes, cached "hashed-*" embeddings of earlier runs no longer match their names.
        Assert.Equal(620337896427418084UL, StableHash.Fnv1a("a", StableHash.FnvOffsetBasis));
        Assert.NotEqual(StableHash.Basis(1), StableHash.Basis(2));
    }

    [Fact]
    public void Similar_texts_are_closer_than_unrelated_ones_and_all_vectors_are_unit_norm()
    {
        var e = new HashedTfIdfEncoder().Encode(Texts);
        Assert.All(e, v => Assert.Equal(1f, VectorMath.Norm(v), 1e-5f));
        var similar = VectorMath.Cosine(e[0], e[1]);
        Assert.True(similar > 0.5f, $"similar {similar}");
        Assert.True(similar > VectorMath.Cosine(e[0], e[2]) + 0.4f);
    }

    [Fact]
    public void Case_and_punctuation_do_not_matter_but_word_order_does_through_bigrams()
    {
        var encoder = new HashedTfIdfEncoder();
        var e = encoder.Encode(["Red Cotton Shirt", "red, cotton; shirt!", "shirt cotton red"]);
        Assert.Equal(e[0], e[1]);
        Assert.InRange(VectorMath.Cosine(e[0], e[2]), 0.2f, 0.9f); // same unigrams, different bigrams
    }

    [Fact]
    public void Seed_and_dimension_are_part_of_the_name_and_change_the_vectors()
    {
        var a = new HashedTfIdfEncoder(384, 7);
        var b = new HashedTfIdfEncoder(384, 8);
        Assert.Equal("hashed-tf-384-seed7", a.Name);
        Assert.NotEqual(a.Name, b.Name);
        Assert.NotEqual(a.Encode(Texts)[2], b.Encode(Texts)[2]);
        Assert.Equal(100, new HashedTfIdfEncoder(100).Encode(Texts)[0].Length);
    }

    [Fact]
    public void Fitted_idf_downweights_words_that_occur_everywhere()
    {
        string[] corpus = ["cotton shirt blue", "cotton shirt red", "cotton shirt green", "cotton dress blue"];
        var fitted = HashedTfIdfEncoder.Fit(corpus, 384, 7);
        Assert.StartsWith("hashed-tfidf-384-seed7-", fitted.Name);
        Assert.Equal(fitted.Name, HashedTfIdfEncoder.Fit(corpus, 384, 7).Name);
        Assert.NotEqual(fitted.Name, HashedTfIdfEncoder.Fit(corpus[..3], 384, 7).Name);

        // "blue" (df 2) is rarer than "cotton" (df 4): with IDF, "cotton blue" is closer to "blue" than to
        // "cotton"; without IDF both are equally close (the two unigrams weigh the same).
        float Similarity(ITextEncoder enc, string query) { var v = enc.Encode([query, "cotton blue"]); return VectorMath.Cosine(v[0], v[1]); }
        var plain = new HashedTfIdfEncoder(384, 7);
        Assert.Equal(Similarity(plain, "blue"), Similarity(plain, "cotton"), 1e-6f);
        Assert.True(Similarity(fitted, "blue") > Similarity(fitted, "cotton") + 0.05f);
    }

    [Fact]
    public void Progress_ends_with_the_total()
    {
        var progress = new List<int>();
        new HashedTfIdfEncoder().Encode(Enumerable.Repeat("a b c", 2500).ToArray(), progress.Add);
        Assert.Equal([1000, 2000, 2500], progress);
    }
}
