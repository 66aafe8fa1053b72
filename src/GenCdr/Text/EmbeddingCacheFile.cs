using GenCdr.Data;
using System.Security.Cryptography;
using System.Text;

namespace GenCdr.Text;

/// <summary>The on-disk format of <see cref="EmbeddingCache"/> (little-endian):
/// <code>
/// magic   8 bytes  "GCDREMB\n"
/// version int32    1
/// encoder string   encoder Name (7-bit length-prefixed UTF-8, as BinaryWriter writes it)
/// dim     int32    vector length
/// count   int32    number of records
/// count × { SHA-256 of the UTF-8 text (32 bytes), dim × float32 }
/// SHA-256 of all the bytes above (32 bytes), so truncation and bit rot are detected
/// </code></summary>
public static class EmbeddingCacheFile
{
    public const int Version = 1;
    private static readonly byte[] Magic = "GCDREMB\n"u8.ToArray();

    /// <summary>What a cache file holds: the encoder that wrote it and one vector per text digest (hex).</summary>
    public sealed record Contents(string EncoderName, int Dimension, IReadOnlyDictionary<string, float[]> Vectors);

    /// <summary>Thrown for a file that carries our magic but cannot be read (truncated, altered, other version).</summary>
    public sealed class CorruptException(string message) : Exception(message);

    /// <summary>Hex SHA-256 of the UTF-8 text: the cache key of one text.</summary>
    public static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Whether <paramref name="path"/> starts like one of our cache files (or is too short to tell).</summary>
    public static bool LooksLikeCacheFile(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[Magic.Length];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head.AsSpan(0, read).SequenceEqual(Magic.AsSpan(0, read));
    }

    /// <exception cref="CorruptException">The file is damaged or of another format version.</exception>
    public static Contents Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CorruptException("file too short or bad header");
        if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new CorruptException("checksum mismatch (truncated or altered)");
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, Magic.Length, bytes.Length - Magic.Length - 32), Encoding.UTF8);
            var version = reader.ReadInt32();
            if (version != Version) throw new CorruptException($"format version {version}, expected {Version}");
            var name = reader.ReadString();
            int dimension = reader.ReadInt32(), count = reader.ReadInt32();
            if (dimension < 1 || count < 0) throw new CorruptException($"bad header (dimension {dimension}, count {count})");
            var vectors = new Dictionary<string, float[]>(count);
            for (var r = 0; r < count; r++)
            {
                var key = Convert.ToHexStringLower(reader.ReadBytes(32));
                var vector = new float[dimension];
                for (var d = 0; d < dimension; d++) vector[d] = reader.ReadSingle();
                vectors[key] = vector;
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length) throw new CorruptException("trailing bytes after the records");
            return new Contents(name, dimension, vectors);
        }
        catch (EndOfStreamException)
        {
            throw new CorruptException("records end early");
        }
    }

    /// <summary>Writes to a temporary file in the same folder, then moves it over <paramref name="path"/>,
    /// so a crash mid-write never leaves a half-written cache under the final name.</summary>
    public static void Write(string path, string encoderName, int dimension, IEnumerable<KeyValuePair<string, float[]>> vectors)
    {
        var records = vectors.ToArray();
        using (var memory = new MemoryStream())
        {
            using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(encoderName);
                writer.Write(dimension);
                writer.Write(records.Length);
                foreach (var (key, vector) in records)
                {
                    if (vector.Length != dimension) throw new ArgumentException($"vector of length {vector.Length} in a {dimension}-d cache");
                    writer.Write(Convert.FromHexString(key));
                    foreach (var x in vector) writer.Write(x);
                }
            }
            memory.Write(SHA256.HashData(memory.GetBuffer().AsSpan(0, (int)memory.Length)));
            AtomicFile.WriteAllBytes(path, memory.ToArray());
        }
    }
}
