using System.Net;
using System.Net.Sockets;

namespace OneInbox.Infrastructure.Security;

/// <summary>
/// Keeps outbound calls to customer-supplied URLs (API channel callbacks, provider base URLs) away from the
/// server's own network: the host is resolved at connect time and every address is checked, so DNS tricks
/// (a name resolving to 127.0.0.1, rebinding between check and use) cannot reach loopback, private, link-local,
/// CGNAT, multicast or cloud metadata addresses. Redirects are off, so a public URL cannot bounce inward.
/// </summary>
public sealed class SsrfGuard(OutboundOptions options)
{
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = ConnectAsync,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(IsAllowed).ToArray();
        if (allowed.Length == 0)
            throw new OutboundAddressRefusedException(host);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Connect to the checked addresses themselves, never re-resolve the name.
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IsMetadata(address))
            return false;
        if (IPAddress.IsLoopback(address))
            return options.AllowLoopback;
        return options.AllowPrivateNetworks || !IsInternal(address);
    }

    private static bool IsMetadata(IPAddress address) =>
        address.Equals(IPAddress.Parse("169.254.169.254")) || address.Equals(AwsMetadataV6);

    private static bool IsInternal(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 0                                    // "this" network
                   || b[0] == 10                                // private
                   || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) // private
                   || (b[0] == 192 && b[1] == 168)              // private
                   || (b[0] == 169 && b[1] == 254)              // link-local
                   || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // CGNAT
                   || b[0] >= 224;                              // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                   || (b[0] & 0xfe) == 0xfc                     // unique local fc00::/7
                   || address.Equals(IPAddress.IPv6None);
        }
        return true;
    }
}

/// <summary>Configuration section "OneInbox:Outbound": exceptions to the SSRF guard, for tests and private deployments only.</summary>
public sealed class OutboundOptions
{
    public const string Section = "OneInbox:Outbound";

    public bool AllowLoopback { get; set; }

    public bool AllowPrivateNetworks { get; set; }
}

public sealed class OutboundAddressRefusedException(string host)
    : HttpRequestException($"Outbound calls to '{host}' are refused: it resolves only to loopback, private, link-local or metadata addresses.");
