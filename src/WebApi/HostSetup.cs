using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using OneInbox.Application;
using OneInbox.Application.Attachments;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Behaviors;
using OneInbox.Infrastructure;
using OneInbox.Workflows;
using OneInbox.Infrastructure.Attachments;
using OneInbox.Infrastructure.Automation;
using OneInbox.WebApi.Automation;
using OneInbox.Infrastructure.Channels;
using OneInbox.Infrastructure.Mail;
using OneInbox.Infrastructure.Privacy;
using OneInbox.Infrastructure.Reports;
using OneInbox.Infrastructure.Retention;
using OneInbox.WebApi.Endpoints;
using OneInbox.WebApi.Hubs;
using OneInbox.WebApi.Identity;
using OneInbox.WebApi.Infrastructure;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

namespace OneInbox.WebApi;

/// <summary>Composition of the host: what the server is made of, and the order requests pass through it.</summary>
public static class HostSetup
{
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddOneInbox(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Limits.MaxRequestBodySize = configuration.GetValue("OneInbox:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes));

        if (!builder.Environment.IsDevelopment())
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        builder.AddLogHygiene();

        services.AddApplication();
        services.AddInfrastructure(configuration, builder.Environment);
        services.AddWorkflows(flows => flows.JournalRetention = TimeSpan.FromDays(configuration.GetValue("OneInbox:Flows:JournalRetentionDays", 365)));
        services.AddChannels(configuration);
        services.AddRetention(configuration);
        services.AddMail(configuration.GetSection(MailOptions.Section).Get<MailOptions>() ?? new MailOptions());
        services.AddReports(configuration);
        services.AddAutomationPorts();
        services.AddFlowWorkers(configuration);
        services.AddPrivacy(runJob: configuration.GetValue("OneInbox:Privacy:RunJob", true));
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>)];
        });

        services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Title ??= ProblemDetailsExceptionHandler.TitleFor(context.ProblemDetails.Status ?? 500);
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddOpenApi();
        AddRealTime(services, configuration);
        services.AddScoped<OneInbox.WebApi.Hubs.InboxEvents>();
        services.AddLocalAttachmentStore();
        services.AddSingleton(new AttachmentSettings(configuration.GetValue("OneInbox:Attachments:MaxBytes", AttachmentSettings.DefaultMaxBytes)));

        builder.AddOneInboxIdentity();
        AddTelemetry(builder);
        return builder;
    }

    public static WebApplication UseOneInbox(this WebApplication app)
    {
        app.UseHttpLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyLimit(app.Configuration.GetValue("OneInbox:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes));
        app.UseOneInboxIdentity();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("OneInbox API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

        var api = app.MapGroup("/api/v1");
        api.MapIdentityEndpoints();
        api.MapContactEndpoints();
        api.MapFlowEndpoints();
        api.MapActivityDescriptorEndpoints();
        api.MapConversationEndpoints();
        api.MapTeamEndpoints();
        api.MapCannedResponseEndpoints();
        api.MapAttachmentEndpoints(app.Configuration.GetValue("OneInbox:Attachments:MaxBytes", AttachmentSettings.DefaultMaxBytes));
        app.MapHub<OneInbox.WebApi.Hubs.InboxHub>(OneInbox.WebApi.Hubs.InboxHub.Path);
        api.MapChannelEndpoints();
        api.MapPrivacyEndpoints();
        api.MapReviewEndpoints();
        api.MapRetentionEndpoints();
        api.MapReportEndpoints();
        app.MapWebhookEndpoints();
        app.MapDataDeletionEndpoints();

        app.MapStudio();

        app.Lifetime.ApplicationStarted.Register(() => AnnounceAddresses(app));
        return app;
    }

    /// <summary>
    /// One node keeps its hub connections in memory; several nodes share events through Redis, so an agent hears of
    /// a message whichever node stored it, and tell each other which cached entries changed (ADR 0020). Without a Redis
    /// connection string nothing changes.
    /// </summary>
    private static void AddRealTime(IServiceCollection services, IConfiguration configuration)
    {
        var signalR = services.AddSignalR();
        services.AddSingleton<HubListeners>();
        services.AddHostedService(sp => sp.GetRequiredService<HubListeners>());
        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, o =>
                o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("oneinbox"));
            services.AddSingleton(sp => new RedisCacheSignals(redis, sp.GetRequiredService<ILogger<RedisCacheSignals>>()));
            services.AddSingleton<ICacheSignals>(sp => sp.GetRequiredService<RedisCacheSignals>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisCacheSignals>());
        }
    }

    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        var otlp = builder.Configuration.GetValue("OneInbox:Telemetry:Otlp", false);
        var console = builder.Configuration.GetValue("OneInbox:Telemetry:Console", false);
        // Without an exporter the pipeline would still record an activity for every request and outbound call
        // (0.6 % of the server's samples in a FlowBench burst) for nobody to read.
        if (!otlp && !console)
            return;
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = LogHygiene.RedactUrl)
                    .AddSource("OneInbox.*");
                if (otlp)
                    tracing.AddOtlpExporter();
                if (console)
                    tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddMeter("OneInbox.*");
                if (otlp)
                    metrics.AddOtlpExporter();
                if (console)
                    metrics.AddConsoleExporter();
            });
    }

    private static void AnnounceAddresses(WebApplication app)
    {
        foreach (var url in app.Urls)
        {
            app.Logger.LogInformation(
                "OneInbox is listening on {Url}: API reference {Url}/docs, OpenAPI {Url}/openapi/v1.json, health {Url}/health/ready",
                url, url, url, url);
        }
    }
}
