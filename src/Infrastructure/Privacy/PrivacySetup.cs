using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Privacy;

namespace OneInbox.Infrastructure.Privacy;

public static class PrivacySetup
{
    /// <summary>Erasure, exports, and the jobs that watch the privacy requests' deadlines (one node at a time) and build exports.</summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services, bool runJob)
    {
        services.AddScoped<IContactEraser, ContactEraser>();
        services.AddScoped<IPrivacyExportFiles, PrivacyExportFiles>();
        if (runJob)
        {
            services.AddHostedService<PrivacyDeadlineJob>();
            services.AddHostedService<PrivacyExportWorker>();
        }
        return services;
    }
}
