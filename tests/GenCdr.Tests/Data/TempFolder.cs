using System.IO.Compression;
using System.Text;

namespace GenCdr.Tests.Data;

/// <summary>A temp folder for test fixtures, deleted on dispose.</summary>
sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gencdr-data-" + Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes lines (joined by '\n'); gzips them when the name ends in .gz.</summary>
    public string Write(string name, params string[] lines)
    {
        string path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var bytes = Encoding.UTF8.GetBytes(lines.Length == 0 ? "" : string.Join('\n', lines) + "\n");
        if (name.EndsWith(".gz"))
        {
            using var file = System.IO.File.Create(path);
            using var gz = new GZipStream(file, CompressionLevel.Optimal);
            gz.Write(bytes);
        }
        else System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
