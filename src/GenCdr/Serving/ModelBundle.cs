using TorchSharp;
using GenCdr.Data;
using GenCdr.Recommender;
using GenCdr.Text;
using GenCdr.Tokenization;
using GenCdr.Decoding;
using GenCdr.Training;

namespace GenCdr.Serving;

/// <summary>
/// A trained GenCDR packed for serving (<see cref="BundleLayout"/>): loads without the training data source,
/// checks every file against bundle.json first, and can take new items without retraining (their text is
/// tokenized into a fresh semantic ID that joins the domain's prefix trie, paper §1 and §3).
/// Holds native TorchSharp modules: dispose it. Not thread-safe (the server touches it from one worker).
/// </summary>
public sealed class ModelBundle : IDisposable
{
    public string Directory { get; }
    public BundleManifest Manifest { get; private set; }
    public RunConfig Config => Manifest.Config;
    public ItemCatalog Catalog { get; }
    public SemanticIds Sids { get; }
    public ItemTokenizer Tokenizer { get; }
    public GenerativeRecommender Model { get; }
    public GenCdrRecommender Recommender { get; }
    ITextEncoder? _encoder;

    ModelBundle(string directory, BundleManifest manifest, ItemCatalog catalog, SemanticIds sids, ItemTokenizer tokenizer, GenerativeRecommender model)
    {
        Directory = directory;
        Manifest = manifest;
        Catalog = catalog;
        Sids = sids;
        Tokenizer = tokenizer;
        Model = model;
        Recommender = GenCdrPipeline.Recommender(model, sids);
    }

    /// <summary>Packs a trained run folder into a new bundle at <paramref name="output"/>. The bundle is built in a
    /// temp folder beside it and moved into place at the end; an existing bundle there is replaced, any other
    /// existing path is refused. A pretrained backbone is copied into the bundle (<see cref="BundleLayout.Backbone"/>),
    /// or, with <paramref name="referenceBackbone"/>, only named by its path and SHA-256: a 7B checkpoint is 15 GB, and
    /// the bundle then loads only where that checkpoint is (unchanged: its checksum is checked at load).</summary>
    public static BundleManifest Export(string runDirectory, string output, bool referenceBackbone = false)
    {
        var (run, config) = RunFolder.Open(runDirectory);
        if (!run.IsTokenized || !run.IsTrained)
            throw new GenCdrException($"{run.Root}: the run is not trained yet (run `gencdr train --out {run.Root}` first)");
        output = Path.GetFullPath(output);
        if (Path.Exists(output) && !File.Exists(Path.Combine(output, BundleLayout.ManifestFile)))
            throw new GenCdrException($"{output}: exists and is not a model bundle; choose another --out");
        var data = PreparedDatasetStore.Load(run.Data);
        string staging = $"{output}.{Guid.NewGuid():N}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(staging);
            foreach (var file in System.IO.Directory.EnumerateFiles(run.Data).Where(f => !Path.GetFileName(f).StartsWith('.')))
                CopyInto(file, Path.Combine(staging, BundleLayout.Catalog));
            File.Copy(run.SemanticIds, Path.Combine(staging, BundleLayout.SemanticIds));
            foreach (var file in new[] { ItemTokenizer.ConfigFileName, ItemTokenizer.WeightsFileName })
                CopyInto(Path.Combine(run.Tokenizer, file), Path.Combine(staging, BundleLayout.Tokenizer));
            CopyInto(run.RecommenderWeights, Path.Combine(staging, BundleLayout.Recommender));
            if (config.Recommender.PretrainedBackbone is { } backbone && !referenceBackbone)
            {
                foreach (var file in Qwen2CheckpointLoader.Files(backbone, config.Recommender.PromptItemText))
                    CopyInto(Path.Combine(backbone, file), Path.Combine(staging, BundleLayout.Backbone));
                // the bundle's own per-file SHA-256 (bundle.json) covers the copied files, so the checkpoint's checksum
                // is not recorded again: loading would hash the whole checkpoint twice
                config = config with { Recommender = config.Recommender with { PretrainedBackbone = BundleLayout.Backbone, PretrainedBackboneSha256 = null } };
            }
            var now = DateTime.UtcNow;
            var manifest = Describe(config, new ItemCatalog(data), now, now, BundleChecksums.Compute(staging));
            AtomicFile.WriteAllText(Path.Combine(staging, BundleLayout.ManifestFile), manifest.ToJson());
            if (System.IO.Directory.Exists(output)) System.IO.Directory.Delete(output, recursive: true);
            System.IO.Directory.Move(staging, output);
            return manifest;
        }
        finally
        {
            if (System.IO.Directory.Exists(staging)) System.IO.Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Loads a bundle after checking its version and every file's checksum, its modules on
    /// <paramref name="device"/> (a <see cref="RunConfig.Device"/> name; default: the one of the bundle's configuration).</summary>
    public static ModelBundle Load(string path, string? device = null)
    {
        string directory = Path.GetFullPath(path);
        if (System.IO.Directory.Exists(directory)) RecoverInterruptedSave(directory);
        var manifest = BundleManifest.Read(directory);
        BundleChecksums.Verify(directory, manifest);
        var data = PreparedDatasetStore.Load(BundleLayout.PathOf(directory, BundleLayout.Catalog));
        var table = SemanticIdTable.Load(BundleLayout.PathOf(directory, BundleLayout.SemanticIds));
        string manifestPath = Path.Combine(directory, BundleLayout.ManifestFile);
        if (!data.DomainNames.SequenceEqual(manifest.Domains.Select(d => d.Name)))
            throw new GenCdrException($"{manifestPath}: domains ({string.Join(", ", manifest.Domains.Select(d => d.Name))}) differ from the catalog's ({string.Join(", ", data.DomainNames)})");
        for (int d = 0; d < data.DomainCount; d++)
            if (table.ItemCount(data.DomainNames[d]) != data.Items[d].Count)
                throw new GenCdrException($"{BundleLayout.PathOf(directory, BundleLayout.SemanticIds)}: {table.ItemCount(data.DomainNames[d])} items of {data.DomainNames[d]}, the catalog has {data.Items[d].Count}");
        var trained = manifest.Domains.Select(d => d.Items - d.AddedItems).ToArray();
        // a copied backbone is named relative to the bundle, a referenced one by its own path
        var recommender = manifest.Config.Recommender;
        if (recommender.PretrainedBackbone is { } backbone && !Path.IsPathRooted(backbone))
            recommender = recommender with { PretrainedBackbone = BundleLayout.PathOf(directory, backbone) };
        var sids = SemanticIds.For(data, table, manifest.Config with { Recommender = recommender });
        var target = Devices.Require(device ?? manifest.Config.Device);
        var tokenizer = ItemTokenizer.Load(BundleLayout.PathOf(directory, BundleLayout.Tokenizer)).to(target);
        GenerativeRecommender? model = null;
        try
        {
            model = GenerativeRecommender.Create(recommender, sids.Vocabulary);
            model.LoadFrom(BundleLayout.PathOf(directory, BundleLayout.RecommenderWeights));
            model = model.to(target);
        }
        catch
        {
            model?.Dispose();
            tokenizer.Dispose();
            throw;
        }
        model.eval();
        return new ModelBundle(directory, manifest, new ItemCatalog(data, trained), sids, tokenizer, model);
    }

    /// <summary>Adds an item without retraining: its text is embedded with the bundle's text encoder, the
    /// tokenizer gives it codes, <see cref="SemanticIds.FreeSid"/> the smallest free disambiguation value the model was
    /// trained with (a unique SID), and the SID joins the table, the domain's prefix trie and the catalog, so the next
    /// decode can recommend it. All or nothing: every check runs before any of them changes. In memory only;
    /// <see cref="Save"/> writes it to the bundle.</summary>
    public AddedItem AddItem(NewItem item)
    {
        int domain = Catalog.FindDomain(item.Domain);
        if (domain < 0) throw new GenCdrException($"unknown domain '{item.Domain}' (known: {string.Join(", ", Catalog.DomainNames)})");
        if (string.IsNullOrWhiteSpace(item.Id)) throw new GenCdrException("a new item needs an id");
        if (item.Id.IndexOfAny(['\t', '\n', '\r']) >= 0) throw new GenCdrException("an item id cannot contain tabs or line breaks");
        if (string.IsNullOrWhiteSpace(item.Title)) throw new GenCdrException("a new item needs a title (its text is what gives it a semantic ID)");
        if (Catalog.TryFindItem(item.Id, domain, out _)) throw new GenCdrException($"domain '{Catalog.DomainNames[domain]}' already has an item '{item.Id}'");
        string domainName = Catalog.DomainNames[domain];
        var text = item.Text;
        var embedding = Encoder.Encode([new ItemTextBuilder(Config.Text.IncludeDescription).Build(text)])[0];
        var sid = Sids.FreeSid(domain, Tokenizer.NewItemCodes(domainName, embedding), Catalog.TrainedItemCounts);
        // every check is done: the SID table, the trie and the catalog now change together
        int index = Sids.AddItem(domain, item.Id, sid, text);
        int catalogIndex = Catalog.Add(domain, new Item(item.Id, domainName, text));
        if (index != catalogIndex)
            throw new InvalidOperationException($"catalog and semantic IDs disagree on the new item's index ({catalogIndex}, {index})");
        return new AddedItem(new CatalogItem(domain, index, Catalog.Item(domain, index)), sid);
    }

    /// <summary>The folder in which <see cref="Save"/> stages a change (a dot name: not part of the bundle's checksums).</summary>
    public const string SavingFolder = ".saving";
    const string CommitMarker = "commit";

    /// <summary>
    /// Writes the catalog, the semantic ID table and bundle.json (new counts and checksums) as one change: all three are
    /// written into <see cref="SavingFolder"/>, a commit marker is written last, and only then is each file moved into
    /// place. A crash before the marker leaves the bundle as it was (the next load discards the folder); a crash after it
    /// is finished by the next load (<see cref="RecoverInterruptedSave"/>). The bundle on disk is the old one or the new
    /// one, never a mix.
    /// </summary>
    public void Save()
    {
        string staging = Path.Combine(Directory, SavingFolder);
        if (System.IO.Directory.Exists(staging)) System.IO.Directory.Delete(staging, recursive: true);
        PreparedDatasetStore.Save(Catalog.ToDataset(), Path.Combine(staging, BundleLayout.Catalog));
        Sids.Table.Save(Path.Combine(staging, BundleLayout.SemanticIds));
        // the files a save does not touch (tokenizer, recommender weights) keep the checksums the manifest already has,
        // which the load verified: only the staged files are hashed
        var files = new SortedDictionary<string, string>(Manifest.Files, StringComparer.Ordinal);
        foreach (var (relative, sum) in BundleChecksums.Compute(staging)) files[relative] = sum;
        var manifest = Describe(Config, Catalog, Manifest.CreatedUtc, DateTime.UtcNow, files);
        AtomicFile.WriteAllText(Path.Combine(staging, BundleLayout.ManifestFile), manifest.ToJson());
        AtomicFile.WriteAllText(Path.Combine(staging, CommitMarker), manifest.UpdatedUtc.ToString("O"));
        Commit(Directory);
        Manifest = manifest;
    }

    /// <summary>Finishes or discards a <see cref="Save"/> that a crash interrupted (see there); a no-op otherwise.</summary>
    public static void RecoverInterruptedSave(string directory)
    {
        string staging = Path.Combine(directory, SavingFolder);
        if (!System.IO.Directory.Exists(staging)) return;
        if (File.Exists(Path.Combine(staging, CommitMarker))) Commit(directory);
        else System.IO.Directory.Delete(staging, recursive: true);
    }

    /// <summary>Moves every staged file into place, bundle.json last, then removes the staging folder. Idempotent: a
    /// file moved before a crash is simply no longer staged.</summary>
    static void Commit(string directory)
    {
        string staging = Path.Combine(directory, SavingFolder);
        foreach (var file in System.IO.Directory.GetFiles(staging, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(staging, file);
            if (relative is BundleLayout.ManifestFile or CommitMarker || Path.GetFileName(file).StartsWith('.')) continue;
            string target = Path.Combine(directory, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(file, target, overwrite: true);
        }
        string manifest = Path.Combine(staging, BundleLayout.ManifestFile);
        if (File.Exists(manifest)) File.Move(manifest, Path.Combine(directory, BundleLayout.ManifestFile), overwrite: true);
        System.IO.Directory.Delete(staging, recursive: true);
    }

    ITextEncoder Encoder => _encoder ??= TextEncoderFactory.Create(Config.Text);

    static BundleManifest Describe(RunConfig config, ItemCatalog catalog, DateTime created, DateTime updated,
        SortedDictionary<string, string> files) => new()
    {
        FormatVersion = BundleManifest.CurrentVersion,
        CreatedUtc = created,
        UpdatedUtc = updated,
        Name = catalog.Name,
        Config = config,
        Domains = Enumerable.Range(0, catalog.DomainCount)
            .Select(d => new BundleDomain(catalog.DomainNames[d], catalog.ItemCount(d), catalog.ItemCount(d) - catalog.TrainedItemCounts[d])).ToList(),
        Users = catalog.UserIds.Count,
        Events = catalog.Histories.Sum(h => h.Length),
        Files = files,
    };

    static void CopyInto(string file, string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
    }

    public void Dispose()
    {
        (_encoder as IDisposable)?.Dispose();
        Model.Dispose();
        Tokenizer.Dispose();
        Sids.PromptText?.Dispose();
    }
}
