namespace GenCdr;

/// <summary>An error in the user's input (a file, a line, an option) that the CLI reports as one clear
/// line without a stack trace. Messages name the file and line where there is one.</summary>
public class GenCdrException(string message, Exception? inner = null) : Exception(message, inner)
{
    public static GenCdrException AtLine(string file, long line, string problem) =>
        new($"{file}:{line}: {problem}");
}
