using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OneInbox.Application.Common;

namespace OneInbox.Application;

public static class DependencyInjection
{
    /// <summary>Validators and the per-request workspace context; the mediator itself is generated in the host.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        // Validators hold only their rules (and the clock): built once, not per request, which costs more than validating.
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddScoped<WorkspaceContext>();
        services.AddScoped<Identity.WorkspaceFounder>();
        services.AddSingleton<Identity.WorkspaceCloser>();
        services.AddScoped<Identity.PolicyAcceptance>();
        services.AddScoped<Teams.TeamRouting>();
        services.AddScoped<Flows.IBusinessCalendar, Flows.WorkspaceBusinessCalendar>();
        services.AddSingleton<Channels.MessageTemplates>();
        services.AddScoped<Privacy.ContactErasure>();
        services.AddScoped<Reviews.ReviewIntake>();
        services.AddScoped<Privacy.ChatPrivacyRequests>();
        services.AddSingleton(TimeProvider.System);
        // One node: the signals stay in the process. The host replaces them with Redis when several nodes share it.
        services.TryAddSingleton<ICacheSignals, LocalCacheSignals>();
        return services;
    }
}
