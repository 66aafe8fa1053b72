using System.Text.Json;

namespace GenCdr.Tests.Serving.Contract;

/// <summary>samples/GenCdr.Client is what Kiota generates from the document the server serves now: the test
/// regenerates the client from the current document into a temporary folder and fails on any difference, so a
/// change of the API cannot leave the sample client (nor its copy of the document) behind.</summary>
public sealed class KiotaRegenerationTests
{
    const string Sample = "samples/GenCdr.Client";
    /// <summary>Set to 1 to write the fresh document and client into <see cref="Sample"/> instead of comparing.</summary>
    const string UpdateVariable = "GENCDR_UPDATE_CLIENT";

    /// <summary>Skipped without the restored kiota tool unless CI is set (<see cref="ExternalTool.SkipUnlessPresent"/>;
    /// CI runs `dotnet tool restore`).</summary>
    public sealed class KiotaFactAttribute : FactAttribute
    {
        public KiotaFactAttribute() =>
            Skip = ExternalTool.SkipUnlessPresent(KiotaIsRestored(),
                "the kiota tool is not restored: the client regeneration test needs `dotnet tool restore` at the repository's root");
    }

    /// <summary>The version dotnet-tools.json pins is in the NuGet package folder (where `dotnet tool restore` puts it).</summary>
    static bool KiotaIsRestored()
    {
        string root = ServedDocument.RepositoryRoot();
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "dotnet-tools.json")));
        string version = manifest.RootElement.GetProperty("tools").GetProperty("microsoft.openapi.kiota").GetProperty("version").GetString()!;
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                          ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Directory.Exists(Path.Combine(packages, "microsoft.openapi.kiota", version));
    }

    /// <summary>How samples/GenCdr.Client was made (its README says the same): the document as openapi.json, then
    /// kiota with the repository's tool manifest. No timestamps; kiota-lock.json records the document by its path
    /// relative to the output folder and by its hash, both the same here as in the sample.</summary>
    static async Task Generate(string root, string folder)
    {
        string document = Path.Combine(folder, "openapi.json");
        await File.WriteAllTextAsync(document, await ServedDocument.FetchAsync());
        var kiota = await ExternalTool.RunAsync("dotnet",
            ["tool", "run", "kiota", "generate", "-l", "CSharp", "-d", document, "-o", Path.Combine(folder, "Generated"), "-c", "GenCdrClient",
             "-n", "GenCdr.Client", "--exclude-backward-compatible", "--clean-output", "--log-level", "Warning"],
            root, // where dotnet-tools.json is
            new Dictionary<string, string> { ["KIOTA_CLI_TELEMETRY_OPTOUT"] = "true", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        Assert.True(kiota.ExitCode == 0, $"kiota generate failed: {kiota}");
    }

    static SortedDictionary<string, string> Files(string folder) => new(
        new[] { "openapi.json" }.Concat(Directory.EnumerateFiles(Path.Combine(folder, "Generated"), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')))
            .Where(f => Path.GetFileName(f) != ".kiota.log")
            .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(folder, f))), StringComparer.Ordinal);

    [KiotaFact]
    public async Task The_sample_client_is_what_kiota_generates_from_the_served_document()
    {
        string root = ServedDocument.RepositoryRoot();
        string fresh = Directory.CreateTempSubdirectory("gencdr-kiota-").FullName;
        try
        {
            await Generate(root, fresh);
            string sample = Path.Combine(root, Sample);
            if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
            {
                Directory.Delete(Path.Combine(sample, "Generated"), recursive: true);
                foreach (var (file, text) in Files(fresh))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(sample, file))!);
                    await File.WriteAllTextAsync(Path.Combine(sample, file), text);
                }
            }
            var expected = Files(sample);
            var actual = Files(fresh);
            var differences = expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal)
                .Where(f => !expected.TryGetValue(f, out var e) || !actual.TryGetValue(f, out var a) || e != a)
                .Select(f => !expected.ContainsKey(f) ? $"new: {f}" : !actual.ContainsKey(f) ? $"gone: {f}" : $"differs: {f}").ToList();
            Assert.True(differences.Count == 0,
                $"{Sample} is out of date with the served API ({differences.Count} files):\n{string.Join('\n', differences)}\n"
                + $"regenerate it: {UpdateVariable}=1 dotnet test -c Release --filter {nameof(KiotaRegenerationTests)}");
        }
        finally { Directory.Delete(fresh, recursive: true); }
    }
}
