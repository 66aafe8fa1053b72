using GenCdr.Serving;

namespace GenCdr.Cli.Commands;

/// <summary>
/// A test hook of <c>gencdr serve</c>, not an operator's feature: with <see cref="Variable"/>=1, the micro-batcher's
/// worker, right after the first decode and before that batch's callers get their answers, prints
/// <see cref="HeldLine"/> and waits for a line on standard input. A test that starts serve as a child process thus has
/// a request in flight for as long as it likes, e.g. while it sends SIGTERM, without timing guesses.
/// </summary>
sealed class FirstDecodeHold : IBatchObserver
{
    public const string Variable = "GENCDR_SERVE_HOLD_FIRST_DECODE";
    public const string HeldLine = "held: the first decode's answers wait for a line on standard input";

    int _decodes;

    public static bool Requested => Environment.GetEnvironmentVariable(Variable) == "1";

    public void BatchDecoded(int requests, TimeSpan elapsed)
    {
        if (Interlocked.Increment(ref _decodes) != 1) return;
        Console.Out.WriteLine(HeldLine);
        Console.Out.Flush();
        Console.In.ReadLine();
    }
}
