using GenCdr.Serving;

namespace GenCdr.Server;

/// <summary>How the HTTP server runs: where it listens, its request limits and its micro-batching.</summary>
public sealed record ServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Kestrel listen URLs, ';'-separated (port 0: any free port, as the tests do).</summary>
    public string Urls { get; init; } = DefaultUrls;
    /// <summary>History items per request at most (the model reads only the last MaxItems anyway).</summary>
    public int MaxHistory { get; init; } = 200;
    /// <summary>Largest k: the beam is at least k wide, so k bounds a request's decode cost.</summary>
    public int MaxK { get; init; } = 100;
    public int DefaultK { get; init; } = 10;
    /// <summary>Request bodies larger than this are refused (400).</summary>
    public long MaxBodyBytes { get; init; } = 64 * 1024;
    /// <summary>How long a request may wait for its decode before it fails with 504.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Write items added with POST /v1/items into the bundle (otherwise they live until shutdown).</summary>
    public bool SaveNewItems { get; init; }
    public BatchingOptions Batching { get; init; } = new();
    /// <summary>The key that POST /v1/items (and, with <see cref="RequireKeyForReads"/>, every /v1 endpoint) needs in the
    /// X-API-Key header. None: such endpoints answer 403 (nobody can change the model).</summary>
    public ApiKey? ApiKey { get; init; }
    /// <summary>Every /v1 endpoint needs the key, not only those that change the model (needs <see cref="ApiKey"/>).</summary>
    public bool RequireKeyForReads { get; init; }
    /// <summary>Minimum level of ASP.NET Core's own log lines.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <exception cref="GenCdrException">the options contradict each other</exception>
    public void Validate()
    {
        if (RequireKeyForReads && ApiKey is null)
            throw new GenCdrException($"--require-key-for-reads needs an API key: give --api-key-file PATH or set {ApiKey.EnvironmentVariable}");
    }
}
