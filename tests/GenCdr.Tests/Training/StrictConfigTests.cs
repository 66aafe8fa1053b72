namespace GenCdr.Tests.Training;

/// <summary>Issue #13's bad-input table for configuration files: each is one clear line naming the file, the line and the
/// field, before any work starts.</summary>
public class StrictConfigTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("gencdr-config-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string json)
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    string Error(string json) => Assert.Throws<GenCdrException>(() => RunConfig.Load(Write(json))).Message;

    [Fact]
    public void An_unknown_field_is_named_with_its_section_its_line_and_the_closest_known_name()
    {
        var message = Error("{\n  \"Recommender\": {\n    \"BackboneEpoch\": 4\n  }\n}\n");
        Assert.StartsWith(Path.Combine(_dir, "config.json") + ":3:", message);
        Assert.Contains("unknown field 'BackboneEpoch' in section 'Recommender' (did you mean 'BackboneEpochs'?)", message);
        Assert.Contains("unknown field 'Recomender' in the top level (did you mean 'Recommender'?)", Error("{ \"Recomender\": {} }"));
        Assert.Contains("in section 'Recommender.LearningRateSchedule' (did you mean 'WarmupFraction'?)",
            Error("{ \"Recommender\": { \"LearningRateSchedule\": { \"Warmup\": 0.1 } } }"));
    }

    [Fact]
    public void A_wrong_type_names_the_field_and_keeps_the_whole_serializer_message()
    {
        var message = Error("{\n  \"Recommender\": { \"DModel\": \"wide\" }\n}\n");
        Assert.Contains(":2: field 'Recommender.DModel': ", message);
        Assert.Contains("System.Int32", message);   // the message is no longer cut at its first full stop
    }

    [Theory]
    [InlineData("{ \"Recommender\": { \"BackboneEpochs\": -3 } }", "BackboneEpochs must be ≥ 0")]
    [InlineData("{ \"Recommender\": { \"BackboneLearningRate\": 0 } }", "must be > 0")]
    [InlineData("{ \"Recommender\": { \"Dropout\": 1.5 } }", "Dropout must be in [0, 1)")]
    [InlineData("{ \"Schedule\": { \"Patience\": 0 } }", "Patience must be ≥ 1")]
    [InlineData("{ \"Evaluation\": { \"Ks\": [0] } }", "every K must be ≥ 1")]
    [InlineData("{ \"Tokenizer\": { \"MaskRate\": 2 } }", "MaskRate must be in [0, 1]")]
    [InlineData("{ \"SasRec\": { \"Blocks\": 0 } }", "Blocks must be ≥ 1")]
    public void A_value_out_of_its_range_is_refused_when_the_file_is_read(string json, string problem)
    {
        var message = Error(json);
        Assert.StartsWith(Path.Combine(_dir, "config.json") + ": ", message);
        Assert.Contains(problem, message);
    }

    [Fact]
    public void The_shipped_configurations_are_read_without_complaint()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "configs"))) dir = dir.Parent;
        Assert.NotNull(dir);
        foreach (var file in Directory.GetFiles(Path.Combine(dir!.FullName, "configs"), "*.json"))
            RunConfig.Load(file);
        RunConfig.Load(Write(System.Text.Json.JsonSerializer.Serialize(new RunConfig(), RunConfig.Json)));   // and a saved default
    }
}
