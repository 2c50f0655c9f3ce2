using System.Security.Cryptography;
using System.Text;

namespace EventMonitor.Functions.Webhooks;

/// <summary>
/// How a receiver knows a delivery is ours and fresh: HMAC-SHA256 with the shared secret over
/// <c>"&lt;timestamp&gt;." + raw body</c>, sent as <c>X-EventMonitor-Signature: sha256=&lt;hex&gt;</c>
/// beside <c>X-EventMonitor-Timestamp</c> (Unix seconds).
/// </summary>
internal static class WebhookSignature
{
    public const string SignatureHeader = "X-EventMonitor-Signature";
    public const string TimestampHeader = "X-EventMonitor-Timestamp";
    public const string DeliveryHeader = "X-EventMonitor-Delivery";
    public const string EventHeader = "X-EventMonitor-Event";

    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var n = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[n] = (byte)'.';
        body.CopyTo(signed, n + 1);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>The delivery id of a notification: derived from its final event's key, so every retry (and a repeat after a crash) carries the same one.</summary>
    public static string DeliveryId(string eventKey) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(eventKey)).AsSpan(0, 16)).ToString("D");
}
