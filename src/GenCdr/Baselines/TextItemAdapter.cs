using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Item vectors from frozen text embeddings, the item representation of LLM4CDSR (Liu et al., "Bridge the Domains:
/// Large Language Models Enhanced Cross-domain Sequential Recommendation", SIGIR 2025; its code reduces the frozen LLM
/// embeddings with a trainable adapter): v_i = W2 · ReLU(W1 · e_i), with e_i the item's text embedding (here the
/// project's text encoder, MiniLM by default), kept as a buffer and never trained. Row 0 (padding) stays zero.
/// </summary>
public sealed class TextItemAdapter : nn.Module
{
    readonly Tensor text;
    readonly Linear reduce, project;
    readonly Dropout dropout;

    /// <param name="embeddings">[domain][item][dimension], the items in token order (1 + offset(domain) + item)</param>
    public TextItemAdapter(IReadOnlyList<IReadOnlyList<float[]>> embeddings, int hidden, double dropoutRate) : base(nameof(TextItemAdapter))
    {
        int dimension = embeddings.SelectMany(d => d).FirstOrDefault()?.Length
            ?? throw new GenCdrException("text item vectors need at least one item embedding");
        var rows = embeddings.SelectMany(d => d).ToList();
        if (rows.Any(r => r.Length != dimension)) throw new GenCdrException("text item vectors: the item embeddings differ in dimension");
        var flat = new float[(rows.Count + 1) * dimension];
        for (int i = 0; i < rows.Count; i++) rows[i].CopyTo(flat, (i + 1) * dimension);
        text = tensor(flat, [rows.Count + 1, dimension]);
        reduce = nn.Linear(dimension, hidden);
        project = nn.Linear(hidden, hidden);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>The vectors of the given item tokens [.., hidden]; token 0 (padding) gets a zero vector. Only the
    /// tokens asked for go through the adapter, not the whole catalogue.</summary>
    public Tensor Of(Tensor tokens)
    {
        var vectors = Adapt(text.index_select(0, tokens.flatten()));
        // the padding row's text is zero but the biases are not: zero it so padding contributes nothing
        vectors *= tokens.flatten().ne(0).unsqueeze(1).to(vectors.dtype);
        return vectors.view([.. tokens.shape, vectors.shape[1]]);
    }

    /// <summary>The vectors of the tokens first … first + count − 1 (one domain's items; never the padding row):
    /// [count, hidden].</summary>
    public Tensor Range(long first, long count) => Adapt(text.narrow(0, first, count));

    Tensor Adapt(Tensor embeddings) => project.forward(dropout.forward(nn.functional.relu(reduce.forward(embeddings))));
}
