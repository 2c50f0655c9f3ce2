using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Auth;

/// <summary>Looks a presented key up by its hash; the key itself is never stored or logged.</summary>
internal sealed class ApiKeys(IOptionsMonitor<AuthOptions> options)
{
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public Caller? Find(string presentedKey)
    {
        var hash = Hash(presentedKey);
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
