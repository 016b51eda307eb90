using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OneInbox.Application.Channels;
using OneInbox.Infrastructure.Channels.Api;
using OneInbox.Infrastructure.Channels.Discord;
using OneInbox.Infrastructure.Channels.Dispatching;
using OneInbox.Infrastructure.Channels.Inbound;
using OneInbox.Infrastructure.Channels.Telegram;
using OneInbox.Infrastructure.Channels.WhatsApp;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Channels;

public static class ChannelsSetup
{
    /// <summary>The channel modules, the inbound processor and the outbox dispatcher.</summary>
    public static IServiceCollection AddChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChannelOptions>().Bind(configuration.GetSection(ChannelOptions.Section));
        services.AddSingleton(configuration.GetSection(OutboundOptions.Section).Get<OutboundOptions>() ?? new OutboundOptions());
        services.AddSingleton<SsrfGuard>();

        services.AddHttpClient(ChannelHttp.Provider, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<SsrfGuard>().CreateHandler());
        services.AddHttpClient(ChannelHttp.LongPoll, c => c.Timeout = TimeSpan.FromSeconds(90))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<SsrfGuard>().CreateHandler());
        services.AddHttpClient(ChannelHttp.Callback, c => c.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<SsrfGuard>().CreateHandler());

        services.AddSingleton<IChannelProvisioner, ChannelProvisioner>();
        services.AddSingleton<ChannelModules>();
        var runWorkers = configuration.GetSection(ChannelOptions.Section).GetValue(nameof(ChannelOptions.RunWorkers), true);
        services.AddTelegramChannel(runWorkers);
        services.AddApiChannel();
        services.AddWhatsAppChannel();
        services.AddDiscordChannel(runWorkers);

        // Webhooks are made durable by group commit on PostgreSQL; the embedded SQLite store inserts one by one.
        var postgres = configuration.GetConnectionString(DependencyInjection.PostgresConnectionName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            services.AddSingleton<GroupCommitEnvelopeStore>();
            services.AddSingleton<IInboundEnvelopeStore>(sp => sp.GetRequiredService<GroupCommitEnvelopeStore>());
            services.AddHostedService(sp => sp.GetRequiredService<GroupCommitEnvelopeStore>());
        }
        else
        {
            services.AddScoped<IInboundEnvelopeStore, EfEnvelopeStore>();
        }

        services.AddSingleton(sp => new InboundBacklog(sp.GetService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ChannelOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<InboundAuthCache>();
        services.AddSingleton<SendPacer>();
        services.AddSingleton<HealthMarks>();
        services.AddSingleton<ChannelRetention>();
        services.AddSingleton<EndpointCache>();
        services.AddSingleton<DeliveryOutcomes>();
        services.AddSingleton<ConnectionHealth>();
        services.AddSingleton<DeliveryReports>();
        services.AddSingleton<DeliveryUnit>();
        if (runWorkers)
        {
            services.AddHostedService<EnvelopeProcessor>();
            services.AddHostedService<OutboxDispatcher>();
            services.AddHostedService<ChannelRetentionWorker>();
        }
        return services;
    }
}
