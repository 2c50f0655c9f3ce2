using System.Security.Cryptography;
using EventMonitor.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Auth;

/// <summary>
/// <c>EventMonitor.Functions keys create --user ID --role user|admin|service [--label TEXT]</c>,
/// <c>keys list</c>, <c>keys revoke HASH-PREFIX</c>: mints keys into the app's own Cosmos database
/// (same settings as the app). A new key is printed once; only its hash is stored. The first admin
/// is bootstrapped the same way: <c>keys create --user admin --role admin</c>.
/// </summary>
internal static class KeysCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddStorage();
        builder.Services.AddAccessControl();
        using var host = builder.Build();
        var services = host.Services;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await ActivatorUtilities.CreateInstance<StorageInitializer>(services).StartAsync(cancel.Token);
            var keys = services.GetRequiredService<KeyStore>();
            return args.FirstOrDefault() switch
            {
                "create" => await CreateAsync(keys, Option(args, "--user"), Option(args, "--role") ?? Roles.User, Option(args, "--label"), cancel.Token),
                "list" => await ListAsync(keys, cancel.Token),
                "revoke" when args.Length > 1 => await RevokeAsync(keys, args[1], cancel.Token),
                _ => Usage(),
            };
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("The storage settings are incomplete: " + string.Join("; ", ex.Failures));
            return 2;
        }
    }

    private static async Task<int> CreateAsync(KeyStore keys, string? user, string role, string? label, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(user) || role is not (Roles.User or Roles.Admin or Roles.Service))
        {
            return Usage();
        }
        var key = "emk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var hash = ApiKeys.Hash(key);
        await keys.CreateAsync(new StoredKey { Id = hash, UserId = user, Role = role, Label = label, CreatedAt = TimeProvider.System.GetUtcNow() }, cancellationToken);
        Console.WriteLine(key);
        await Console.Error.WriteLineAsync($"Created a {role} key for {user} (hash {hash[..12]}…). The key above is shown only this once.");
        return 0;
    }

    private static async Task<int> ListAsync(KeyStore keys, CancellationToken cancellationToken)
    {
        foreach (var key in (await keys.ListAsync(cancellationToken)).OrderBy(k => k.CreatedAt))
        {
            Console.WriteLine($"{key.Id[..12]}  {key.UserId,-20} {key.Role,-8} {UtcTimestampConverter.Text(key.CreatedAt)}  {(key.Revoked ? "revoked" : "active")}  {key.Label}");
        }
        return 0;
    }

    private static async Task<int> RevokeAsync(KeyStore keys, string prefix, CancellationToken cancellationToken)
    {
        var matches = (await keys.ListAsync(cancellationToken)).Where(k => k.Id.StartsWith(prefix.ToLowerInvariant(), StringComparison.Ordinal)).ToList();
        if (prefix.Length < 8 || matches.Count != 1)
        {
            await Console.Error.WriteLineAsync($"Give at least 8 characters of exactly one key's hash ({matches.Count} match).");
            return 1;
        }
        await keys.ReplaceAsync(matches[0] with { Revoked = true, RevokedAt = TimeProvider.System.GetUtcNow() }, cancellationToken);
        await Console.Error.WriteLineAsync($"Revoked {matches[0].Id[..12]}… of {matches[0].UserId}.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: keys create --user ID --role user|admin|service [--label TEXT] | keys list | keys revoke HASH-PREFIX");
        return 64;
    }
}
