using System.Security.Cryptography;

namespace GenCdr.Serving;

/// <summary>SHA-256 of the files of a bundle, keyed by their path relative to the bundle ('/' separators).</summary>
public static class BundleChecksums
{
    /// <summary>Every file of the bundle except bundle.json and what has a dot name or sits in a dot folder (temp files,
    /// <see cref="ModelBundle.SavingFolder"/>).</summary>
    public static SortedDictionary<string, string> Compute(string bundle)
    {
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(bundle, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative == BundleLayout.ManifestFile || relative.Split('/').Any(part => part.StartsWith('.'))) continue;
            sums[relative] = Of(file);
        }
        return sums;
    }

    public static string Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Throws a <see cref="GenCdrException"/> naming the first file that is missing or differs from its
    /// recorded checksum.</summary>
    public static void Verify(string bundle, BundleManifest manifest)
    {
        string manifestPath = Path.Combine(bundle, BundleLayout.ManifestFile);
        if (manifest.Files.Count == 0) throw new GenCdrException($"{manifestPath}: lists no files");
        foreach (var (relative, expected) in manifest.Files)
        {
            string path = BundleLayout.PathOf(bundle, relative);
            if (!File.Exists(path)) throw new GenCdrException($"{path}: missing from the model bundle (listed in {manifestPath})");
            string actual = Of(path);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new GenCdrException($"{path}: checksum mismatch (SHA-256 {actual[..12]}…, bundle.json says {expected[..Math.Min(12, expected.Length)]}…): the file is corrupted or truncated; export the bundle again");
        }
    }
}
