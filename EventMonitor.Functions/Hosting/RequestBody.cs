using System.Text.Json;

namespace EventMonitor.Functions.Hosting;

/// <summary>Reads a JSON object body, answering bad input with a 400 that says what was wrong.</summary>
internal static class RequestBody
{
    public static async Task<JsonElement> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && !request.Body.CanRead))
        {
            return EmptyObject();
        }
        if (request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "The request body must be application/json.");
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document.RootElement.Clone();
            }
            throw ApiException.BadRequest("invalid_body", "The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            var details = new Dictionary<string, object?> { ["line"] = ex.LineNumber, ["position"] = ex.BytePositionInLine };
            throw ApiException.BadRequest("invalid_json", "The request body is not valid JSON.", details);
        }
    }

    /// <summary>
    /// For endpoints that take no body: a body that is sent anyway must still be a JSON object, so a
    /// garbled request is refused rather than half-understood.
    /// </summary>
    public static async Task RejectMalformedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0)
        {
            return;
        }
        await ReadObjectAsync(request, cancellationToken);
    }

    public static JsonElement EmptyObject()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }

    /// <summary>A string field; null, "" and absent all mean "not given".</summary>
    public static string? OptionalString(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(name, "a string");
        }
        var text = value.GetString()!.Trim();
        // U+FFFD is what a lone surrogate or invalid UTF-8 decodes to; control characters have no place in these fields.
        if (text.Any(c => c == '\uFFFD' || (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))))
        {
            throw ApiException.BadRequest("invalid_field", $"'{name}' contains invalid Unicode or control characters.", new Dictionary<string, object?> { ["field"] = name });
        }
        return text.Length == 0 ? null : text;
    }

    public static bool? OptionalBool(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, "true or false"),
        };
    }

    /// <summary>A list of strings; a single string is one item.</summary>
    public static IReadOnlyList<string> OptionalStrings(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            var one = value.GetString()!.Trim();
            return one.Length == 0 ? [] : [one];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(name, "a list of strings");
        }
        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw WrongType(name, "a list of strings");
            }
            var text = item.GetString()!.Trim();
            if (text.Length > 0)
            {
                items.Add(text);
            }
        }
        return items;
    }

    public static ApiException WrongType(string name, string expected) =>
        ApiException.BadRequest("invalid_field", $"'{name}' must be {expected}.", new Dictionary<string, object?> { ["field"] = name });
}

/// <summary>Marks an endpoint that takes no body: one sent anyway must be well-formed JSON (or nothing).</summary>
internal static class NoBodyEndpoints
{
    public static RouteHandlerBuilder TakesNoBody(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            await RequestBody.RejectMalformedAsync(context.HttpContext.Request, context.HttpContext.RequestAborted);
            return await next(context);
        });
}
