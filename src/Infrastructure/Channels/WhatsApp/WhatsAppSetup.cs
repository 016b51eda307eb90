using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Channels;
using OneInbox.Infrastructure.Channels.Inbound;

namespace OneInbox.Infrastructure.Channels.WhatsApp;

internal static class WhatsAppSetup
{
    /// <summary>Everything of the WhatsApp Business (Cloud API) channel, registered once.</summary>
    public static IServiceCollection AddWhatsAppChannel(this IServiceCollection services)
    {
        services.AddSingleton<WhatsAppGraph>();
        services.AddSingleton<IChannelModule, WhatsAppModule>();
        services.AddSingleton<IInboundReceiver, WhatsAppReceiver>();
        services.AddSingleton<Application.Privacy.IDataDeletionCallback, WhatsAppDataDeletion>();
        services.AddScoped<IInboundMapper, WhatsAppMapper>();
        services.AddScoped<IChannelSender, WhatsAppSender>();
        services.AddSingleton<IChannelTemplateSource, WhatsAppTemplates>();
        return services;
    }
}
