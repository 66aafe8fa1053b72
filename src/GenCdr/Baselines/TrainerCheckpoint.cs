using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GenCdr.Data;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Resume for the epoch loop of the baseline trainers (<see cref="SasRecTrainer"/>, <see cref="Bert4RecTrainer"/>), so that a bench model that trains
/// for hours on Amazon survives the end of its process. After every epoch it writes, under that epoch's name, the
/// network's weights, the optimizer's state, the early-stopping snapshot (<see cref="EarlyStopping.SaveBest"/>) and
/// the state of the torch generators the epoch loop draws from; then, as the commit, state.json naming that epoch
/// (written atomically: a process killed before it resumes from the previous epoch, and files that state.json does not
/// name are deleted). A checkpoint written for another configuration or data set (its fingerprint differs) is
/// ignored and replaced. The .NET random streams (data order, sampled negatives) are not saved but replayed by the
/// trainer, so a resumed run trains exactly the epochs an uninterrupted one would.
/// </summary>
public sealed class TrainerCheckpoint<TEpoch>(string folder, string fingerprint, Action<string>? log = null)
{
    const string StateFile = "state.json";
    static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>What state.json records: the epoch whose files hold the training state, and what early stopping and
    /// the trainer's report need to go on.</summary>
    public sealed record State(string Fingerprint, int EpochsDone, int BestEpoch, double BestRecall, List<TEpoch> Epochs);

    public string Folder { get; } = folder;

    /// <summary>A fingerprint of what a checkpoint must match to be resumed: the trainer's configuration, the data it
    /// trains on (its item counts and its training windows) and the items' text embeddings when the network reads them.</summary>
    public static string Fingerprint<TConfig>(TConfig config, PreparedDataset data, int trainingWindows,
        IReadOnlyList<IReadOnlyList<float[]>>? itemText = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(config) + "|" + data.UserCount + "|" +
            string.Join(",", data.Items.Select(i => i.Count)) + "|" + trainingWindows));
        foreach (var vector in itemText?.SelectMany(domain => domain) ?? [])
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>Loads the last committed epoch into the network, optimizer, early stopping and generators, and returns
    /// its state; null when there is none to resume (no checkpoint, or one of another configuration).</summary>
    public State? TryResume(nn.Module network, TorchSharp.Modules.OptimizerHelper optimizer, EarlyStopping stopping, IReadOnlyList<Generator> generators)
    {
        string path = Path.Combine(Folder, StateFile);
        if (!File.Exists(path)) return null;
        State? state;
        try { state = JsonSerializer.Deserialize<State>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new GenCdrException($"{path}: unreadable training checkpoint ({e.Message}); delete the folder to train afresh"); }
        if (state is null || state.Fingerprint != fingerprint)
        {
            log?.Invoke($"{Folder}: the checkpoint was written for another configuration or data set; training from epoch 1");
            return null;
        }
        network.load_safetensors(PathOf(state.EpochsDone, "weights.safetensors"), strict: true);
        using (var reader = new BinaryReader(File.OpenRead(PathOf(state.EpochsDone, "optimizer.bin"))))
            optimizer.load_state_dict(reader);
        string best = PathOf(state.EpochsDone, "best.safetensors");
        stopping.Resume(state.BestEpoch, state.BestRecall, File.Exists(best) ? Safetensors.LoadStateDict(best) : null);
        var saved = Safetensors.LoadStateDict(PathOf(state.EpochsDone, "generators.safetensors"));
        for (int g = 0; g < generators.Count; g++) generators[g].set_state(saved[$"generator{g}"]);
        foreach (var t in saved.Values) t.Dispose();
        return state;
    }

    /// <summary>Writes the state after <paramref name="epochsDone"/> epochs (the files first, state.json last).</summary>
    public void Save(int epochsDone, nn.Module network, TorchSharp.Modules.OptimizerHelper optimizer, EarlyStopping stopping,
        IReadOnlyList<Generator> generators, IReadOnlyList<TEpoch> epochs)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.Write(PathOf(epochsDone, "weights.safetensors"), (string temp) => network.save_safetensors(temp));
        AtomicFile.Write(PathOf(epochsDone, "optimizer.bin"), (Stream stream) =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            optimizer.save_state_dict(writer);
        });
        stopping.SaveBest(PathOf(epochsDone, "best.safetensors"));
        var states = generators.Select((g, i) => (Name: $"generator{i}", State: g.get_state())).ToDictionary(s => s.Name, s => s.State);
        AtomicFile.Write(PathOf(epochsDone, "generators.safetensors"), (string temp) => Safetensors.SaveStateDict(temp, states));
        foreach (var t in states.Values) t.Dispose();
        var state = new State(fingerprint, epochsDone, stopping.BestEpoch, stopping.BestRecall, epochs.ToList());
        AtomicFile.WriteAllText(Path.Combine(Folder, StateFile), JsonSerializer.Serialize(state, Json));
        string prefix = $"epoch-{epochsDone}.";
        foreach (var file in Directory.EnumerateFiles(Folder))
            if (Path.GetFileName(file) is var name && name != StateFile && !name.StartsWith(prefix, StringComparison.Ordinal)) File.Delete(file);
    }

    string PathOf(int epoch, string what) => Path.Combine(Folder, $"epoch-{epoch}.{what}");
}
