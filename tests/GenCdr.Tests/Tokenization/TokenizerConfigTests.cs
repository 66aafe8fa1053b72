using System.Text.Json;
using GenCdr.Tokenization;

namespace GenCdr.Tests.Tokenization;

public class TokenizerConfigTests
{
    [Fact]
    public void RoundTripsThroughJson()
    {
        var config = new TokenizerConfig { HiddenDims = [128, 64], UseMtm = false, Seed = 3 };
        var back = JsonSerializer.Deserialize<TokenizerConfig>(JsonSerializer.Serialize(config))!;
        Assert.Equal(config.HiddenDims, back.HiddenDims);
        Assert.Equal(config with { HiddenDims = back.HiddenDims }, back);
    }

    [Fact]
    public void BadValuesAndBadEmbeddingsAreClearErrors()
    {
        Assert.Contains("CodebookSize", Assert.Throws<GenCdrException>(() => new TokenizerConfig { CodebookSize = 1 }.Validate()).Message);
        Assert.Contains("Levels", Assert.Throws<GenCdrException>(() => new TokenizerConfig { Levels = 0 }.Validate()).Message);
        var e = Assert.Throws<GenCdrException>(() => EmbeddingTensors.ToTensor([new float[4], new float[3]], 4, "domain 'Sports'"));
        Assert.Contains("embedding 1", e.Message);
    }
}
