using System.Net;
using System.Net.Sockets;
using OneInbox.Application.Common;

namespace OneInbox.Infrastructure.Security;

/// <summary>
/// Keeps outbound calls to customer-supplied URLs (API channel callbacks, provider base URLs) away from the
/// server's own network: the host is resolved at connect time and every address is checked, so DNS tricks
/// (a name resolving to 127.0.0.1, rebinding between check and use) cannot reach loopback, private, link-local,
/// CGNAT, multicast or cloud metadata addresses. Redirects are off, so a public URL cannot bounce inward.
/// </summary>
public sealed class SsrfGuard(OutboundOptions options)
{
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
        if (PublicAddresses.IsMetadata(address))
            return false;
        if (IPAddress.IsLoopback(address))
            return options.AllowLoopback;
        return options.AllowPrivateNetworks || !PublicAddresses.IsInternal(address);
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
