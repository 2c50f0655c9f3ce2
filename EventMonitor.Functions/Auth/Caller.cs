namespace EventMonitor.Functions.Auth;

internal static class Roles
{
    public const string User = "user";
    public const string Admin = "admin";
    public const string Service = "service";
}

/// <summary>Who is asking: a user id and a role, from an API key or the Development loopback allowance.</summary>
internal sealed record Caller(string UserId, string Role)
{
    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>Whether this caller may see something owned by <paramref name="ownerId"/>; others' things answer 404.</summary>
    public bool CanSee(string ownerId) => IsAdmin || ownerId == UserId;
}

internal static class CallerAccess
{
    private const string Key = "EventMonitor.Caller";

    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[Key] = caller;

    public static Caller GetCaller(this HttpContext context) =>
        context.Items[Key] as Caller ?? throw new InvalidOperationException("The endpoint ran without an authenticated caller.");
}
