using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Channels;
using OneInbox.Infrastructure.Channels.Inbound;

namespace OneInbox.Infrastructure.Channels.Discord;

internal static class DiscordSetup
{
    /// <summary>Everything of the Discord channel, registered once; its gateway sessions run where the workers run.</summary>
    public static IServiceCollection AddDiscordChannel(this IServiceCollection services, bool runWorkers)
    {
        services.AddSingleton<DiscordClients>();
        services.AddSingleton<IChannelModule, DiscordModule>();
        services.AddSingleton<IInboundReceiver, DiscordInteractionsReceiver>();
        services.AddScoped<IInboundMapper, DiscordEventMapper>();
        services.AddScoped<IChannelSender, DiscordSender>();
        if (runWorkers)
            services.AddHostedService<DiscordGateways>();
        return services;
    }
}
