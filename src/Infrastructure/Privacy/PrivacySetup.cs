using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Privacy;

namespace OneInbox.Infrastructure.Privacy;

public static class PrivacySetup
{
    /// <summary>Erasure, and the daily job that watches the privacy requests' deadlines (one node at a time).</summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services, bool runJob)
    {
        services.AddScoped<IContactEraser, ContactEraser>();
        if (runJob)
            services.AddHostedService<PrivacyDeadlineJob>();
        return services;
    }
}
