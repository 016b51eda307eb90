using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Channels;
using OneInbox.Infrastructure.Channels.Inbound;

namespace OneInbox.Infrastructure.Channels.Telegram;

internal static class TelegramSetup
{
    /// <summary>Everything of the Telegram channel, registered once; its pollers run where the workers run.</summary>
    public static IServiceCollection AddTelegramChannel(this IServiceCollection services, bool runWorkers)
    {
        services.AddSingleton<TelegramClients>();
        services.AddSingleton<IChannelModule, TelegramModule>();
        services.AddSingleton<IInboundReceiver, TelegramPayloadReader>();
        services.AddScoped<IInboundMapper, TelegramUpdateMapper>();
        services.AddScoped<IChannelSender, TelegramSender>();
        if (runWorkers)
            services.AddHostedService<TelegramPolling>();
        return services;
    }
}
