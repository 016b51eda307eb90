namespace OneInbox.Application.Flows;

/// <summary>
/// Outbound HTTP for flows, behind the SSRF guard (no private, loopback or link-local targets, size and
/// time limits). The channel issue implements it; the engine never opens sockets itself.
/// </summary>
public interface IOutboundHttp
{
    Task<OutboundHttpResponse> SendAsync(OutboundHttpRequest request, CancellationToken cancellationToken);
}

public sealed record OutboundHttpRequest(string Method, Uri Url, IReadOnlyDictionary<string, string> Headers, string? JsonBody, TimeSpan Timeout);

public sealed record OutboundHttpResponse(int StatusCode, string Body);
