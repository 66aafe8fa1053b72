using System.Text.RegularExpressions;

namespace GenCdr.Server;

/// <summary>Answers a request that ASP.NET Core itself refuses as bad input (a query parameter that does not parse,
/// e.g. <c>k=ten</c>) like every other bad input of the API: the status it chose, with the one-line
/// <see cref="ApiError"/> body, instead of an empty answer.</summary>
static partial class BadInputAnswers
{
    public static async Task Handle(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = e.StatusCode;
            await context.Response.WriteAsJsonAsync(new ApiError(Message(e.Message)), context.RequestAborted);
        }
    }

    /// <summary>ASP.NET Core's "Failed to bind parameter "Nullable&lt;int&gt; k" from "ten"." in the API's words
    /// (every numeric parameter of the API is an integer); any other message as it is.</summary>
    static string Message(string message) =>
        BindFailure().Match(message) is { Success: true } m && m.Groups["type"].Value is "int" or "Nullable<int>" or "int?"
            ? $"'{m.Groups["name"].Value}' must be an integer, got '{m.Groups["value"].Value}'"
            : message;

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>[^ "]+)" from "(?<value>.*)"\.$""")]
    private static partial Regex BindFailure();
}
