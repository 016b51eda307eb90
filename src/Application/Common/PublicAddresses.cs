using System.Net;
using System.Net.Sockets;

namespace OneInbox.Application.Common;

/// <summary>
/// Which addresses count as the server's own network (loopback, private, link-local, CGNAT, multicast,
/// cloud metadata). The SSRF guard applies it to every resolved address at connect time; validators apply
/// it to URLs a user types, so an obviously inward URL is refused when it is written, not when it is used.
/// </summary>
public static class PublicAddresses
{
    private static readonly IPAddress AwsMetadataV4 = IPAddress.Parse("169.254.169.254");
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    public static bool IsMetadata(IPAddress address) => address.Equals(AwsMetadataV4) || address.Equals(AwsMetadataV6);

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || IsMetadata(address))
            return true;
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
                   || address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any);
        }
        return true;
    }

    /// <summary>
    /// Why <paramref name="url"/> is not a public https URL, or null when it is. Checks what can be known
    /// without resolving names: the scheme, credentials in the URL, local host names and literal addresses.
    /// A name that resolves inward is still stopped by the guard wherever the server itself connects.
    /// </summary>
    public static string? ProblemWithHttpsUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return "It is not an absolute URL.";
        if (uri.Scheme != Uri.UriSchemeHttps)
            return "It must be an https URL.";
        if (uri.UserInfo.Length > 0)
            return "It must not carry a user name or password.";
        var host = uri.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase))
            return "It points at a local host name; it must be reachable on the public internet.";
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IsInternal(address))
            return "It points at a loopback, private, link-local or metadata address; it must be reachable on the public internet.";
        if (!host.Contains('.', StringComparison.Ordinal) && uri.HostNameType == UriHostNameType.Dns)
            return "It has no public host name.";
        return null;
    }
}
