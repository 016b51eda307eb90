using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Flows;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Automation;

public static class AutomationSetup
{
    /// <summary>The inbox side of the automation engine's ports: conversations flows act on, and guarded outbound HTTP.</summary>
    public static IServiceCollection AddAutomationPorts(this IServiceCollection services)
    {
        services.AddScoped<IFlowConversations, InboxFlowConversations>();
        // The timeout is per request (at most 30s, set by the activity); the client's own limit is only a backstop.
        services.AddHttpClient(GuardedOutboundHttp.ClientName, c => c.Timeout = TimeSpan.FromSeconds(60))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<SsrfGuard>().CreateHandler());
        services.AddScoped<IOutboundHttp, GuardedOutboundHttp>();
        return services;
    }
}
