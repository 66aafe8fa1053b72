namespace GenCdr.Text;

/// <summary>Builds the <see cref="ITextEncoder"/> a <see cref="TextEncoderConfig"/> asks for. The caller
/// disposes the result when it is <see cref="IDisposable"/> (the ONNX encoders hold a native session).</summary>
public static class TextEncoderFactory
{
    public static ITextEncoder Create(TextEncoderConfig config)
    {
        var options = new OnnxEncoderOptions
        {
            BatchSize = config.BatchSize,
            Threads = config.Threads,
            MaxTokens = config.MaxTokens,
            Lowercase = config.Lowercase,
        };
        return config.Kind.ToLowerInvariant() switch
        {
            TextEncoderConfig.MiniLm => new MiniLmEncoder(options),
            TextEncoderConfig.Onnx => OnnxSentenceEncoder.FromFiles(
                config.ModelPath ?? throw new GenCdrException("Text encoder kind \"onnx\" needs ModelPath (the model.onnx file)."),
                config.VocabPath ?? throw new GenCdrException("Text encoder kind \"onnx\" needs VocabPath (the model's vocab.txt)."),
                options),
            TextEncoderConfig.Hashed => new HashedTfIdfEncoder(config.HashedDimension, config.HashedSeed),
            _ => throw new GenCdrException($"Unknown text encoder kind \"{config.Kind}\"; expected \"minilm\", \"onnx\" or \"hashed\"."),
        };
    }
}
