using System.Security.Cryptography;
using System.Text;

namespace EventMonitor.Tests.Infrastructure;

/// <summary>Fresh API keys per app instance, configured as hashes exactly as an operator would.</summary>
public sealed class TestKeys
{
    public string Alice { get; } = NewKey();
    public string Bob { get; } = NewKey();
    public string Admin { get; } = NewKey();
    public string Service { get; } = NewKey();

    public Dictionary<string, string?> Environment()
    {
        var env = new Dictionary<string, string?>();
        var entries = new[] { (Alice, "alice", "user"), (Bob, "bob", "user"), (Admin, "root", "admin"), (Service, "svc", "service") };
        for (var i = 0; i < entries.Length; i++)
        {
            env[$"Auth__Keys__{i}__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entries[i].Item1)));
            env[$"Auth__Keys__{i}__UserId"] = entries[i].Item2;
            env[$"Auth__Keys__{i}__Role"] = entries[i].Item3;
        }
        return env;
    }

    private static string NewKey() => "emk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
