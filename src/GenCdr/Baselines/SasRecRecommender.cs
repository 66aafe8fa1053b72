using GenCdr.Data;
using GenCdr.Evaluation;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>SASRec behind <see cref="IRecommender"/>: scores every item of the target domain from the hidden
/// state at the latest event, and ranks with <see cref="TopK"/> (ties: lower item index).</summary>
public sealed class SasRecRecommender(SasRecNetwork network) : IRecommender
{
    public SasRecNetwork Network { get; } = network;

    public string Name => Network.Config.ItemVectors switch
                          {
                              ItemVectorSource.TextAdapter => "LLM4CDSR-style",
                              ItemVectorSource.TextCodes => "VQ-Rec",
                              _ => Network.Config.Encoder switch
                              {
                                  SequenceEncoder.Hstu => "HSTU", SequenceEncoder.Stosa => "STOSA", SequenceEncoder.C2dsr => "C2DSR", SequenceEncoder.TriCdr => "TriCDR", _ => "SASRec",
                              },
                          } +
                          (Network.Config.CrossDomainHistory && Network.Config.Encoder is not (SequenceEncoder.C2dsr or SequenceEncoder.TriCdr) ? " (cross-domain input)" : "");

    /// <summary>Saves the weights (TorchSharp format) atomically. The config and the item counts per domain are needed
    /// again to load them.</summary>
    public void Save(string path) => AtomicFile.Write(path, (string temp) => Network.save(temp));

    /// <summary>Loads weights saved by <see cref="Save"/> into a network built from the same config and item counts.</summary>
    public static SasRecRecommender Load(string path, SasRecConfig config, IReadOnlyList<int> itemCounts,
        IReadOnlyList<IReadOnlyList<float[]>>? itemText = null, (ItemTransitionGraph, ItemTransitionGraph)? graphs = null)
    {
        if (!File.Exists(path)) throw new GenCdrException($"{path}: SASRec weights not found");
        var network = new SasRecNetwork(config, itemCounts, itemText, graphs);
        try { network.load(path); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            throw new GenCdrException($"{path}: not SASRec weights for this config and these domains ({e.Message})", e);
        }
        network.eval();
        return new SasRecRecommender(network);
    }

    public IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k)
    {
        Network.eval();
        return PerDomainScoring.Recommend(queries, k, (domain, group) =>
        {
            var inputs = group.Select(q => (IReadOnlyList<Event>)SasRecInput.InputEvents(q.History, domain, Network.Config)).ToList();
            var (tokens, positions, times) = SasRecInput.Encode(inputs, Network);
            using var shared = Network.ShareGraphTable();
            var last = Network.Hidden(tokens, positions, times).select(1, -1);    // [N, H]: the latest event
            return Network.DomainScores(last, domain);
        });
    }
}
