using System.Text.Json;

namespace GenCdr.Server;

/// <summary>Reading JSON bodies with a clear message for every way they can be wrong, and the error answers.</summary>
static class ApiResults
{
    public static IResult BadRequest(string message) => Results.BadRequest(new ApiError(message));
    public static IResult NotFound(string message) => Results.NotFound(new ApiError(message));
    public static IResult Status(int status, string message) => Results.Json(new ApiError(message), statusCode: status);

    /// <summary>The body as <typeparamref name="T"/>, or the 400 answer that says why it is not.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadBody<T>(HttpRequest request, long maxBytes) where T : class
    {
        if (request.ContentLength > maxBytes)
            return (null, BadRequest($"the request body is {request.ContentLength} bytes; the limit is {maxBytes}"));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, JsonSerializerOptions.Web, request.HttpContext.RequestAborted);
            return value is null ? (null, BadRequest("the request body is empty; expected a JSON object")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, BadRequest($"the request body is not valid JSON for this endpoint: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, BadRequest($"the request body is larger than the limit of {maxBytes} bytes"));
        }
    }
}
