using Microsoft.AspNetCore.Http;
using OneInbox.Application.Common;

namespace OneInbox.Infrastructure.Identity;

/// <summary>
/// Who made the current request and from where, as every audit line records it: the member's user id (else the
/// integration client), the IP address, the user agent and the OAuth client it came through.
/// </summary>
internal sealed record RequestOrigin(string? Actor, string? IpAddress, string? UserAgent, string? Client)
{
    public static RequestOrigin Of(ICurrentUser user, HttpContext? context)
    {
        var principal = context?.User;
        var client = principal?.FindFirst("client_id")?.Value ?? principal?.FindFirst("azp")?.Value;
        var actor = user.UserId?.ToString() ?? principal?.FindFirst("integration_client")?.Value ?? client;
        var agent = context?.Request.Headers.UserAgent.ToString();
        return new RequestOrigin(actor, context?.Connection.RemoteIpAddress?.ToString(), string.IsNullOrEmpty(agent) ? null : agent, client);
    }
}
