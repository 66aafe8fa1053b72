namespace GenCdr.Serving;

/// <summary>The request queue is full or the worker has stopped: the caller should retry later (HTTP 503).</summary>
public sealed class ServerBusyException(string message) : Exception(message);
