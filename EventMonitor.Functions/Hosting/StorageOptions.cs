using System.ComponentModel.DataAnnotations;

namespace EventMonitor.Functions.Hosting;

/// <summary>Where state and outputs live. Connection strings locally; account names and managed identity in Azure.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>A Storage connection string; when empty, <see cref="AccountName"/> with DefaultAzureCredential is used.</summary>
    public string? ConnectionString { get; set; }

    public string? AccountName { get; set; }

    [Required]
    public string OutputContainer { get; set; } = "outputs";

    /// <summary>Where fetched resources are cached for <c>use_cache</c>.</summary>
    [Required]
    public string CacheContainer { get; set; } = "fetch-cache";

    /// <summary>The work-item queue; bound from the top-level <c>WorkQueueName</c> setting that function.json also uses.</summary>
    [Required]
    public string WorkQueue { get; set; } = DefaultWorkQueue;

    public const string DefaultWorkQueue = "convert-session";

    /// <summary>Where the host (and the standalone runner) moves a queue's messages that failed every delivery.</summary>
    public static string PoisonQueueOf(string queue) => queue + "-poison";

    public string PoisonQueue => PoisonQueueOf(WorkQueue);

    /// <summary>A Cosmos connection string; when empty, <see cref="CosmosEndpoint"/> with DefaultAzureCredential is used.</summary>
    public string? CosmosConnectionString { get; set; }

    public string? CosmosEndpoint { get; set; }

    [Required]
    public string CosmosDatabase { get; set; } = "eventmonitor";

    /// <summary>Gateway mode limited to the given endpoint: what the local emulator needs.</summary>
    public bool CosmosGatewayOnly { get; set; }
}
