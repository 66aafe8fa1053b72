using System.Text;

namespace GenCdr.Data;

/// <summary>
/// The one way the project writes a file (issue #13): readers see either the old or the new content, never a half-written
/// one. The content goes to a uniquely named temp file in the target's folder (so that the rename stays on one file
/// system, and two writers never share a temp file), is flushed to the disk, and is then renamed over the target; on
/// any failure the temp file is removed and the target is left as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>A unique hidden temp path beside <paramref name="path"/>, keeping its extension (some writers choose the
    /// format by it, e.g. PNG).</summary>
    public static string TempPathFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
    }

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, which receives the temp path to write
    /// (for libraries that save to a path: TorchSharp, safetensors, ScottPlot).</summary>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = TempPathFor(full);
        try
        {
            write(temp);
            using (var written = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) written.Flush(flushToDisk: true);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="path"/> through a stream.</summary>
    public static void Write(string path, Action<Stream> write) => Write(path, (string temp) =>
    {
        using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write);
        write(stream);
    });

    /// <summary>Writes <paramref name="path"/> as text through a writer (UTF-8 without BOM, "\n" line ends).</summary>
    public static void WriteText(string path, Action<TextWriter> write) => Write(path, (Stream stream) =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
        write(writer);
    });

    public static void WriteAllText(string path, string text) => WriteText(path, writer => writer.Write(text));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, (Stream stream) => stream.Write(bytes));

    /// <summary>Copies <paramref name="source"/> over <paramref name="destination"/> atomically.</summary>
    public static void Copy(string source, string destination) => Write(destination, (string temp) => File.Copy(source, temp, overwrite: true));
}
