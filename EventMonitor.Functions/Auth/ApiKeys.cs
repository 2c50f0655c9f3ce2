using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Auth;

/// <summary>
/// Looks a presented key up by its hash, first in configuration, then among the minted keys; the key
/// itself is never stored or logged.
/// </summary>
internal sealed class ApiKeys(IOptionsMonitor<AuthOptions> options, KeyStore minted)
{
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task<Caller?> FindAsync(string presentedKey, CancellationToken cancellationToken) =>
        FindConfigured(Hash(presentedKey)) ?? await minted.FindAsync(Hash(presentedKey), cancellationToken);

    private Caller? FindConfigured(string hash)
    {
        foreach (var entry in options.CurrentValue.Keys)
        {
            var stored = entry.Hash.StartsWith("sha256:", StringComparison.Ordinal) ? entry.Hash[7..] : entry.Hash;
            if (!entry.Revoked && stored.Length == hash.Length &&
                CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored.ToLowerInvariant()), Encoding.ASCII.GetBytes(hash)))
            {
                return new Caller(entry.UserId, entry.Role);
            }
        }
        return null;
    }
}
