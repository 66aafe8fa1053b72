using System.Security.Cryptography;
using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;

namespace GenCdr.Text;

/// <summary>A sentence-transformer exported to ONNX (a BERT-style model whose output is one hidden vector per
/// token, e.g. all-MiniLM-L6-v2) with its WordPiece vocabulary. A text's embedding is the mean of its token
/// vectors over the attention mask, L2-normalised — the pooling sentence-transformers uses for these models.
/// Not safe for concurrent <see cref="Encode"/> calls on one instance (calls are serialised by a lock).</summary>
public class OnnxSentenceEncoder : ITextEncoder, IDisposable
{
    private const string InputIds = "input_ids", AttentionMask = "attention_mask", TokenTypeIds = "token_type_ids";

    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer = new();
    private readonly OnnxEncoderOptions _options;
    private readonly string[] _inputNames;
    private readonly string _outputName;
    private readonly Lock _lock = new();

    public string Name { get; }
    public int Dimension { get; }

    /// <param name="model">The ONNX model bytes.</param>
    /// <param name="vocabulary">The model's vocab.txt (one WordPiece token per line).</param>
    /// <param name="identity">Names the model and vocabulary; <see cref="Name"/> adds the settings that change
    /// the output (truncation length, casing).</param>
    public OnnxSentenceEncoder(byte[] model, TextReader vocabulary, string identity, OnnxEncoderOptions? options = null)
    {
        _options = options ?? new OnnxEncoderOptions();
        _options.Validate();
        Name = $"{identity}-max{_options.MaxTokens}{(_options.Lowercase ? "" : "-cased")}";

        _tokenizer.LoadVocabulary(vocabulary, convertInputToLowercase: _options.Lowercase);
        _sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = _options.Threads == 0 ? Environment.ProcessorCount : _options.Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            _session = new InferenceSession(model, _sessionOptions);
            _inputNames = CheckInputs(_session, identity);
            _outputName = TokenEmbeddingOutput(_session, identity);
            var hidden = _session.OutputMetadata[_outputName].Dimensions[^1];
            Dimension = hidden > 0 ? hidden : EncodeBatch([Tokenize("")])[0].Length;
        }
        catch
        {
            _session?.Dispose();
            _sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>Loads a model and vocabulary from files. <see cref="Name"/> includes a SHA-256 prefix of both
    /// files, so replacing the model at the same path invalidates cached embeddings.</summary>
    public static OnnxSentenceEncoder FromFiles(string modelPath, string vocabPath, OnnxEncoderOptions? options = null)
    {
        foreach (var path in new[] { modelPath, vocabPath })
            if (!File.Exists(path)) throw new GenCdrException($"{path}: file not found (text encoder model or vocabulary).");
        var model = File.ReadAllBytes(modelPath);
        var vocab = File.ReadAllText(vocabPath);
        var digest = Convert.ToHexStringLower(SHA256.HashData([.. model, .. System.Text.Encoding.UTF8.GetBytes(vocab)]))[..12];
        var identity = $"onnx-{Path.GetFileNameWithoutExtension(modelPath)}-{digest}";
        try
        {
            return new OnnxSentenceEncoder(model, new StringReader(vocab), identity, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new GenCdrException($"{modelPath}: not a loadable ONNX model ({e.Message.Split('\n')[0]}).", e);
        }
    }

    public float[][] Encode(IReadOnlyList<string> texts, Action<int>? onProgress = null)
    {
        lock (_lock)
        {
            var tokens = texts.Select(Tokenize).ToArray();
            var result = new float[texts.Count][];
            var done = 0;
            foreach (var batch in LengthSortedBatcher.Batches(tokens.Select(t => t.Length).ToArray(), _options.BatchSize, _options.SortByLength))
            {
                var embeddings = EncodeBatch(batch.Select(i => tokens[i]).ToArray());
                for (var b = 0; b < batch.Length; b++) result[batch[b]] = embeddings[b];
                done += batch.Length;
                onProgress?.Invoke(done);
            }
            if (texts.Count == 0) onProgress?.Invoke(0);
            return result;
        }
    }

    /// <summary>WordPiece ids of one text: [CLS] pieces… [SEP], truncated to <see cref="OnnxEncoderOptions.MaxTokens"/>.</summary>
    public long[] Tokenize(string text)
    {
        var ids = new long[_options.MaxTokens];
        var mask = new long[_options.MaxTokens];
        var count = _tokenizer.Encode(text, ids, mask, padTo: null);
        return ids[..count];
    }

    /// <summary>One ONNX Runtime call: pads the batch to its longest text, runs the model and mean-pools.</summary>
    private float[][] EncodeBatch(long[][] tokens)
    {
        int batch = tokens.Length, length = tokens.Max(t => t.Length);
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        for (var b = 0; b < batch; b++)
        {
            tokens[b].CopyTo(ids, b * length);
            Array.Fill(mask, 1L, b * length, tokens[b].Length);
        }
        long[] shape = [batch, length];
        var values = new Dictionary<string, OrtValue>
        {
            [InputIds] = OrtValue.CreateTensorValueFromMemory(ids, shape),
            [AttentionMask] = OrtValue.CreateTensorValueFromMemory(mask, shape),
            [TokenTypeIds] = OrtValue.CreateTensorValueFromMemory(new long[batch * length], shape),
        };
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, _inputNames, _inputNames.Select(n => values[n]).ToArray(), [_outputName]);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            var width = (int)outputs[0].GetTensorTypeAndShape().Shape[^1];
            return MeanPool(hidden, mask, batch, length, width);
        }
        finally
        {
            foreach (var v in values.Values) v.Dispose();
        }
    }

    /// <summary>Mean of the token vectors where the attention mask is 1, then L2 normalisation
    /// (sentence-transformers' Pooling(mean) + Normalize layers).</summary>
    internal static float[][] MeanPool(ReadOnlySpan<float> hidden, long[] mask, int batch, int length, int width)
    {
        var result = new float[batch][];
        for (var b = 0; b < batch; b++)
        {
            var sum = new double[width];
            var count = 0;
            for (var t = 0; t < length; t++)
            {
                if (mask[b * length + t] == 0) continue;
                count++;
                var row = hidden.Slice((b * length + t) * width, width);
                for (var h = 0; h < width; h++) sum[h] += row[h];
            }
            var mean = new float[width];
            for (var h = 0; h < width; h++) mean[h] = (float)(sum[h] / Math.Max(count, 1));
            VectorMath.L2NormalizeInPlace(mean);
            result[b] = mean;
        }
        return result;
    }

    private static string[] CheckInputs(InferenceSession session, string identity)
    {
        var names = session.InputMetadata.Keys.ToArray();
        foreach (var required in new[] { InputIds, AttentionMask })
            if (!names.Contains(required))
                throw new GenCdrException($"{identity}: the ONNX model has no '{required}' input (inputs: {string.Join(", ", names)}); expected a BERT-style sentence-transformer.");
        var unknown = names.Except([InputIds, AttentionMask, TokenTypeIds]).ToArray();
        if (unknown.Length > 0)
            throw new GenCdrException($"{identity}: the ONNX model has unsupported inputs {string.Join(", ", unknown)}; expected input_ids, attention_mask and optionally token_type_ids.");
        return names;
    }

    /// <summary>The output holding one vector per token ([batch, tokens, hidden]); "last_hidden_state" when present.</summary>
    private static string TokenEmbeddingOutput(InferenceSession session, string identity)
    {
        var rank3 = session.OutputMetadata.Where(o => o.Value.Dimensions.Length == 3).Select(o => o.Key).ToArray();
        if (rank3.Length == 0)
            throw new GenCdrException($"{identity}: the ONNX model has no [batch, tokens, hidden] output to mean-pool (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
        return rank3.Contains("last_hidden_state") ? "last_hidden_state" : rank3[0];
    }

    public void Dispose()
    {
        _session.Dispose();
        _sessionOptions.Dispose();
        GC.SuppressFinalize(this);
    }
}
