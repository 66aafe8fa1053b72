namespace GenCdr.Data;

/// <summary>Writes a file so that readers see either the old or the new content, never a half-written one:
/// write a temp file in the same folder, then move it over the target.</summary>
public static class AtomicFile
{
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    public static void WriteAllText(string path, string text)
    {
        string temp = TempPathFor(path);
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
