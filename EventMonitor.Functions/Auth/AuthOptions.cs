namespace EventMonitor.Functions.Auth;

/// <summary>API keys, stored only as SHA-256 hashes, each mapped to a user id and a role.</summary>
internal sealed class AuthOptions
{
    public const string Section = "Auth";

    public List<ApiKeyEntry> Keys { get; set; } = [];

    /// <summary>Development only: requests from loopback without a key act as the local admin.</summary>
    public bool AllowAnonymousLoopback { get; set; }

    public string AnonymousUserId { get; set; } = "local";

    /// <summary>How long a minted key's lookup is cached; a revocation takes effect within it.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed class ApiKeyEntry
{
    /// <summary>Lower-case hex SHA-256 of the key, optionally prefixed with <c>sha256:</c>.</summary>
    public string Hash { get; set; } = "";

    public string UserId { get; set; } = "";

    public string Role { get; set; } = Roles.User;

    public bool Revoked { get; set; }
}
