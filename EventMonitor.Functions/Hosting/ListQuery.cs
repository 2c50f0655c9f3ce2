using EventMonitor.Functions.Auth;

namespace EventMonitor.Functions.Hosting;

/// <summary>Paging and sorting of a list request: <c>sort</c>, <c>order</c>, <c>limit</c> (default 50, max 500), <c>skip</c>.</summary>
internal sealed record ListQuery(string Sort, bool Descending, int Limit, int Skip)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int MaxSkip = 100_000;

    public static ListQuery Parse(HttpRequest request, IReadOnlyList<string> sortable, IReadOnlyList<string> filters, bool defaultDescending = true)
    {
        // An unknown parameter is usually a typo that would silently widen the list: refuse it.
        if (request.Query.Keys.FirstOrDefault(k => !filters.Contains(k) && k is not ("sort" or "order" or "limit" or "skip")) is { } unknown)
        {
            throw ApiException.BadRequest("invalid_query", $"Unknown query parameter '{unknown}'. Allowed: {string.Join(", ", filters.Concat(["sort", "order", "limit", "skip"]))}.", new Dictionary<string, object?> { ["parameter"] = unknown });
        }
        var sort = request.Query["sort"].ToString();
        if (sort.Length == 0)
        {
            sort = "created_at";
        }
        if (!sortable.Contains(sort))
        {
            throw ApiException.BadRequest("invalid_query", $"'sort' must be one of {string.Join(", ", sortable)}.", new Dictionary<string, object?> { ["parameter"] = "sort" });
        }
        var order = request.Query["order"].ToString();
        if (order is not ("" or "asc" or "desc"))
        {
            throw ApiException.BadRequest("invalid_query", "'order' must be asc or desc.", new Dictionary<string, object?> { ["parameter"] = "order" });
        }
        return new ListQuery(sort, order == "" ? defaultDescending : order == "desc", QueryParams.Int(request, "limit", DefaultLimit, 1, MaxLimit), QueryParams.Int(request, "skip", 0, 0, MaxSkip));
    }

    /// <summary>
    /// Whose things a list shows: the caller's own; an admin may name a user or see everyone's;
    /// anyone else naming another user is refused.
    /// </summary>
    public static string? OwnerFilter(HttpRequest request, Caller caller)
    {
        var userId = request.Query["user_id"].ToString();
        if (userId.Length == 0)
        {
            return caller.IsAdmin ? null : caller.UserId;
        }
        if (!caller.IsAdmin && userId != caller.UserId)
        {
            throw ApiException.Forbidden("Only admins may list another user's jobs or batches.");
        }
        return userId;
    }

    /// <summary>An optional boolean query parameter: <c>true</c> or <c>false</c>.</summary>
    public static bool? Flag(HttpRequest request, string name) => request.Query[name].ToString() switch
    {
        "" => null,
        "true" => true,
        "false" => false,
        _ => throw ApiException.BadRequest("invalid_query", $"'{name}' must be true or false.", new Dictionary<string, object?> { ["parameter"] = name }),
    };

    /// <summary>An optional text query parameter, length-limited.</summary>
    public static string? Text(HttpRequest request, string name, int max = 200)
    {
        var value = request.Query[name].ToString().Trim();
        if (value.Length > max)
        {
            throw ApiException.BadRequest("invalid_query", $"'{name}' is longer than {max} characters.", new Dictionary<string, object?> { ["parameter"] = name });
        }
        return value.Length == 0 ? null : value;
    }
}
