using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GenCdr.Data;

/// <summary>
/// Streams the lines of a text file, transparently decompressing it when the path ends in ".gz".
/// Never holds more than one line in memory. Every failure becomes a <see cref="GenCdrException"/> naming
/// the file (and the line reached): missing file, empty file, corrupt or truncated gzip data.
/// </summary>
public static class LineSource
{
    /// <summary>Yields (1-based line number, line text) for every line, blank lines included.</summary>
    public static IEnumerable<(long Number, string Text)> Read(string path)
    {
        if (!File.Exists(path)) throw new GenCdrException($"{path}: file not found");
        bool gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (file.Length == 0) throw new GenCdrException($"{path}: file is empty");
        long compressedLength = file.Length;
        using var counter = gzip ? new CountingStream(new GZipStream(file, CompressionMode.Decompress)) : null;
        using var reader = new StreamReader(counter ?? (Stream)file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        // One line of look-ahead: the trailer check runs before the last line is handed out, so a file cut
        // in the middle of a line is reported as truncated rather than as a malformed last line.
        long number = 0;
        string? current = ReadLine(reader, path, number);
        while (current is not null)
        {
            string? next = ReadLine(reader, path, number + 1);
            if (next is null && counter is not null) CheckGzipTrailer(path, file, compressedLength, counter.BytesRead, number);
            number++;
            yield return (number, current);
            current = next;
        }
        if (counter is not null && number == 0) CheckGzipTrailer(path, file, compressedLength, counter.BytesRead, number);
        if (number == 0) throw new GenCdrException($"{path}: file is empty");
    }

    static string? ReadLine(StreamReader reader, string path, long linesBefore)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new GenCdrException($"{path}:{linesBefore + 1}: corrupt gzip data ({e.Message})", e);
        }
    }

    /// <summary>
    /// .NET's GZipStream ends silently when the compressed data stops early, so a truncated download would
    /// look like a shorter file. The gzip trailer's last 4 bytes hold the uncompressed size mod 2^32
    /// (RFC 1952 §2.3.1, ISIZE); comparing it with what was decompressed detects truncation.
    /// Limitation: for a multi-member gzip file (concatenated .gz parts) ISIZE covers only the last member,
    /// so such files are reported as truncated; the Amazon files are single-member.
    /// </summary>
    static void CheckGzipTrailer(string path, FileStream file, long compressedLength, long decompressed, long lines)
    {
        const int minimumGzipSize = 18; // 10-byte header + 8-byte trailer
        if (compressedLength < minimumGzipSize)
            throw new GenCdrException($"{path}:{lines + 1}: truncated gzip data (file has only {compressedLength} bytes)");
        Span<byte> trailer = stackalloc byte[4];
        file.Seek(compressedLength - 4, SeekOrigin.Begin);
        file.ReadExactly(trailer);
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        if (expected != (uint)decompressed)
            throw new GenCdrException(
                $"{path}:{lines + 1}: truncated gzip data (the data stops at this line; the decompressed size does not match the gzip trailer)");
    }

    /// <summary>Counts bytes read through it (the decompressed size, for the trailer check).</summary>
    sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            BytesRead += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
