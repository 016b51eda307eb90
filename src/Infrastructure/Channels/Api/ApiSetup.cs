using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Channels;
using OneInbox.Infrastructure.Channels.Inbound;

namespace OneInbox.Infrastructure.Channels.Api;

internal static class ApiSetup
{
    /// <summary>Everything of the API channel, registered once.</summary>
    public static IServiceCollection AddApiChannel(this IServiceCollection services)
    {
        services.AddSingleton<IChannelModule, ApiModule>();
        services.AddSingleton<IInboundReceiver, ApiPayloadReader>();
        services.AddScoped<IInboundMapper, ApiInboundMapper>();
        services.AddScoped<IChannelSender, ApiCallbackSender>();
        return services;
    }
}
