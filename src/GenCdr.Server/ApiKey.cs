using System.Security.Cryptography;
using System.Text;

namespace GenCdr.Server;

/// <summary>
/// The secret a caller sends in the <see cref="Header"/> header to change the model (and, with
/// <see cref="ServerOptions.RequireKeyForReads"/>, to read it). Only its SHA-256 digest is kept, and a presented
/// key is compared by digest in constant time, so neither its content nor its length leaks through timing;
/// <see cref="ToString"/> hides it, so logging the options (a record prints every property) cannot leak it either.
/// </summary>
public sealed class ApiKey
{
    public const string Header = "X-API-Key";
    public const string EnvironmentVariable = "GENCDR_API_KEY";
    /// <summary>The name of the security scheme in the OpenAPI document.</summary>
    public const string SchemeName = "apiKey";
    /// <summary>Shorter keys are refused: a guessable key is no protection.</summary>
    public const int MinLength = 16;

    readonly byte[] _digest;

    ApiKey(string key) => _digest = Digest(key);

    /// <summary>The key of <c>--api-key-file</c> when given, else of <see cref="EnvironmentVariable"/>, else none.</summary>
    /// <exception cref="GenCdrException">the file is missing or unreadable, or the key is empty, too short or several lines</exception>
    public static ApiKey? Resolve(string? file) =>
        file is not null ? FromFile(file)
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { } value ? FromText(value, $"the environment variable {EnvironmentVariable}")
        : null;

    public static ApiKey FromFile(string path)
    {
        if (!File.Exists(path)) throw new GenCdrException($"--api-key-file {path}: the file does not exist");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenCdrException($"--api-key-file {path}: cannot read it ({e.Message})");
        }
        return FromText(text, $"--api-key-file {path}");
    }

    /// <summary>The key in <paramref name="text"/> (surrounding white space, e.g. a file's final newline, dropped);
    /// <paramref name="source"/> names where it came from in the error messages (never the key itself).</summary>
    public static ApiKey FromText(string text, string source)
    {
        string key = text.Trim();
        if (key.Length == 0) throw new GenCdrException($"{source}: the API key is empty");
        if (key.Contains('\n') || key.Contains('\r')) throw new GenCdrException($"{source}: the API key must be one line");
        if (key.Length < MinLength)
            throw new GenCdrException($"{source}: the API key has {key.Length} characters; at least {MinLength} are needed (e.g. `openssl rand -hex 32`)");
        return new ApiKey(key);
    }

    public bool Matches(string presented) => CryptographicOperations.FixedTimeEquals(_digest, Digest(presented));

    static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public override string ToString() => "(hidden)";
}
