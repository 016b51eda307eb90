using Microsoft.Extensions.DependencyInjection;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Activities;
using OneInbox.Workflows.Compilation;
using OneInbox.Workflows.Runtime;
using OneInbox.Workflows.Simulation;

namespace OneInbox.Workflows;

public static class WorkflowsServiceCollectionExtensions
{
    /// <summary>The engine: activity catalogue, compiler with its per-version cache, runtime and test runs.</summary>
    public static IServiceCollection AddWorkflows(this IServiceCollection services, Action<FlowRuntimeOptions>? configure = null)
    {
        var options = new FlowRuntimeOptions();
        configure?.Invoke(options);
        services.AddSingleton(BuiltInActivities.Catalog());
        services.AddSingleton<FlowCompiler>();
        services.AddSingleton(options);
        services.AddSingleton<FlowRuntime>(sp => new FlowRuntime(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<FlowRuntimeOptions>()));
        services.AddSingleton<IFlowEngine, FlowEngine>();
        services.AddSingleton<TestRunStore>();
        services.AddScoped<IFlowTestRuns, TestRunner>();
        services.AddScoped<Instances.FlowExecutor>();
        services.AddScoped<IFlowStarter, Instances.FlowStarter>();
        services.AddScoped<IFlowInterrupter, Instances.FlowInterrupter>();
        services.AddSingleton<Triggers.TriggerMatcher>();
        services.AddSingleton<Triggers.PublishedTriggers>();
        services.AddSingleton<Instances.FlowTimerProcessor>();
        services.AddSingleton<Instances.FlowScheduleProcessor>();
        services.AddSingleton<Instances.FlowJournalRetention>();
        return services;
    }
}
