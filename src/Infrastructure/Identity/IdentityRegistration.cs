using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Identity;
using OneInbox.Infrastructure.Persistence;

namespace OneInbox.Infrastructure.Identity;

public static class IdentityRegistration
{
    /// <summary>
    /// ASP.NET Core Identity on our database, with the password and lockout policy, and OpenIddict's stores.
    /// The token server and validation are configured by the host.
    /// </summary>
    public static IServiceCollection AddIdentityStores(this IServiceCollection services)
    {
        services.AddIdentityCore<OneInboxUser>(o =>
            {
                // Length over composition rules (NIST SP 800-63B): at least 10 characters, not one repeated.
                o.Password.RequiredLength = 10;
                o.Password.RequiredUniqueChars = 4;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = true;
            })
            .AddEntityFrameworkStores<OneInboxDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddOpenIddict().AddCore(o => o.UseEntityFrameworkCore().UseDbContext<OneInboxDbContext>());

        services.AddHttpContextAccessor();
        services.AddScoped<IUserAccounts, UserAccounts>();
        services.AddScoped<IClientRegistry, ClientRegistry>();
        services.AddScoped<IAuditLog, AuditLog>();
        services.AddScoped<IAccessLog, AccessLog>();
        services.AddSingleton<AccessEvents>();
        services.AddHostedService<AccessEventWriter>();
        return services;
    }
}
