using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Common;

namespace OneInbox.Application;

public static class DependencyInjection
{
    /// <summary>Validators and the per-request workspace context; the mediator itself is generated in the host.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Scoped, includeInternalTypes: true);
        services.AddScoped<WorkspaceContext>();
        services.AddScoped<Identity.WorkspaceFounder>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
