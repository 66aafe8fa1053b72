using GenCdr.Text;

namespace GenCdr.Tests.Text;

public sealed class EmbeddingCacheTests : IDisposable
{
    /// <summary>Wraps an encoder and records which texts it was asked to encode.</summary>
    private sealed class CountingEncoder(ITextEncoder inner) : ITextEncoder
    {
        public List<string> Encoded { get; } = [];
        public int Calls { get; private set; }
        public string Name => inner.Name;
        public int Dimension => inner.Dimension;
        public float[][] Encode(IReadOnlyList<string> texts, Action<int>? onProgress = null)
        {
            Calls++;
            Encoded.AddRange(texts);
            return inner.Encode(texts, onProgress);
        }
    }

    private readonly string _folder = Directory.CreateTempSubdirectory("gencdr-cache-test").FullName;
    private readonly List<string> _reports = [];
    private readonly string[] _texts = ["red shirt", "blue jeans", "green socks", "red shirt"];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string CacheFile => Path.Combine(_folder, "embeddings.bin");
    private EmbeddingCache NewCache() => new(_reports.Add);

    [Fact]
    public void Second_call_encodes_nothing_and_returns_the_same_vectors()
    {
        var encoder = new CountingEncoder(new HashedTfIdfEncoder(64));
        var first = NewCache().GetOrEncode(encoder, _texts, CacheFile);
        Assert.Equal(["red shirt", "blue jeans", "green socks"], encoder.Encoded); // the duplicate is encoded once

        encoder.Encoded.Clear();
        var cache = NewCache();
        var second = cache.GetOrEncode(encoder, _texts, CacheFile);
        Assert.Empty(encoder.Encoded);
        Assert.Equal(1, encoder.Calls);
        Assert.Equal(new EmbeddingCacheStats(4, 4, 0, FileWritten: false), cache.LastRun);
        for (var i = 0; i < _texts.Length; i++) Assert.Equal(first[i], second[i]);
        Assert.Equal(first[0], first[3]);
        Assert.Empty(_reports);
    }

    [Fact]
    public void Changing_one_text_re_encodes_only_that_text()
    {
        var encoder = new CountingEncoder(new HashedTfIdfEncoder(64));
        var before = NewCache().GetOrEncode(encoder, _texts, CacheFile);
        encoder.Encoded.Clear();

        var changed = (string[])_texts.Clone();
        changed[1] = "blue denim jeans";
        var after = NewCache().GetOrEncode(encoder, changed, CacheFile);
        Assert.Equal(["blue denim jeans"], encoder.Encoded);
        Assert.Equal(before[0], after[0]);
        Assert.NotEqual(before[1], after[1]);
        Assert.Equal(new HashedTfIdfEncoder(64).Encode(["blue denim jeans"])[0], after[1]);
    }

    [Fact]
    public void Another_encoder_name_invalidates_the_whole_file()
    {
        NewCache().GetOrEncode(new HashedTfIdfEncoder(64, seed: 1), _texts, CacheFile);
        var other = new CountingEncoder(new HashedTfIdfEncoder(64, seed: 2));
        NewCache().GetOrEncode(other, _texts, CacheFile);
        Assert.Equal(3, other.Encoded.Count);
        Assert.Contains(_reports, r => r.Contains("hashed-tf-64-seed1"));
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip")]
    [InlineData("empty")]
    public void A_damaged_file_is_reported_and_rebuilt(string damage)
    {
        var encoder = new CountingEncoder(new HashedTfIdfEncoder(64));
        var expected = NewCache().GetOrEncode(encoder, _texts, CacheFile);
        var bytes = File.ReadAllBytes(CacheFile);
        bytes = damage switch
        {
            "truncate" => bytes[..(bytes.Length / 2)],
            "flip" => bytes.Select((b, i) => i == bytes.Length / 2 ? (byte)(b ^ 1) : b).ToArray(),
            _ => [],
        };
        File.WriteAllBytes(CacheFile, bytes);
        encoder.Encoded.Clear();

        var rebuilt = NewCache().GetOrEncode(encoder, _texts, CacheFile);
        Assert.Single(_reports);
        Assert.Contains("damaged", _reports[0]);
        Assert.Equal(3, encoder.Encoded.Count);
        for (var i = 0; i < _texts.Length; i++) Assert.Equal(expected[i], rebuilt[i]);
        Assert.Equal(4, EmbeddingCacheFile.Read(CacheFile).Vectors.Count + 1); // 3 unique texts, file readable again
    }

    [Fact]
    public void A_file_that_is_not_a_cache_is_never_overwritten()
    {
        File.WriteAllText(CacheFile, "user,item,timestamp\n");
        var error = Assert.Throws<GenCdrException>(() => NewCache().GetOrEncode(new HashedTfIdfEncoder(64), _texts, CacheFile));
        Assert.Contains(CacheFile, error.Message);
        Assert.Equal("user,item,timestamp\n", File.ReadAllText(CacheFile));
    }

    [Fact]
    public void Progress_counts_cached_texts_and_ends_with_the_total()
    {
        NewCache().GetOrEncode(new HashedTfIdfEncoder(64), _texts[..2], CacheFile);
        var progress = new List<int>();
        NewCache().GetOrEncode(new HashedTfIdfEncoder(64), _texts, CacheFile, progress.Add);
        Assert.Equal(3, progress[0]); // "red shirt" twice + "blue jeans" were cached
        Assert.Equal(4, progress[^1]);
        Assert.True(progress.SequenceEqual(progress.Order()));
    }

    [Fact]
    public void File_name_per_encoder_is_safe() =>
        Assert.Equal(Path.Combine("x", "embeddings-hashed-tf-64-seed7.bin"), EmbeddingCache.FileFor("x", new HashedTfIdfEncoder(64)));
}
