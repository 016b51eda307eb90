using NetArchTest.Rules;

namespace OneInbox.ArchitectureTests;

public class LayerTests
{
    private const string Domain = "OneInbox.Domain";
    private const string Application = "OneInbox.Application";
    private const string Infrastructure = "OneInbox.Infrastructure";
    private const string Workflows = "OneInbox.Workflows";
    private const string WebApi = "OneInbox.WebApi";

    private static readonly System.Reflection.Assembly DomainAssembly = typeof(Domain.Common.Entity).Assembly;
    private static readonly System.Reflection.Assembly ApplicationAssembly = typeof(Application.DependencyInjection).Assembly;
    private static readonly System.Reflection.Assembly InfrastructureAssembly = typeof(Infrastructure.DependencyInjection).Assembly;
    private static readonly System.Reflection.Assembly WorkflowsAssembly = typeof(Workflows.WorkflowsAssembly).Assembly;

    [Fact]
    public void Domain_references_nothing_of_ours()
    {
        AssertNoDependency(DomainAssembly, Application, Infrastructure, Workflows, WebApi);
    }

    [Fact]
    public void Application_references_only_the_domain()
    {
        AssertNoDependency(ApplicationAssembly, Infrastructure, Workflows, WebApi);
    }

    [Fact]
    public void Infrastructure_does_not_reference_the_engine_or_the_host()
    {
        AssertNoDependency(InfrastructureAssembly, Workflows, WebApi);
    }

    [Fact]
    public void Workflows_act_through_the_application_not_infrastructure_or_the_host()
    {
        AssertNoDependency(WorkflowsAssembly, Infrastructure, WebApi);
    }

    [Fact]
    public void Domain_knows_nothing_of_EF_Core_or_ASP_NET()
    {
        AssertNoDependency(DomainAssembly, "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore");
    }

    [Fact]
    public void Aggregates_keep_their_state_behind_methods()
    {
        var leaking = Types.InAssembly(DomainAssembly)
            .That().Inherit(typeof(Domain.Common.Entity))
            .GetTypes()
            .SelectMany(t => t.GetProperties().Where(p => p.SetMethod is { IsPublic: true } && !IsInitOnly(p)).Select(p => $"{t.Name}.{p.Name}"))
            .ToList();
        Assert.Empty(leaking);
    }

    [Fact]
    public void Handlers_are_sealed()
    {
        var result = Types.InAssemblies([ApplicationAssembly, WorkflowsAssembly])
            .That().HaveNameEndingWith("Handler").And().AreClasses()
            .Should().BeSealed()
            .GetResult();
        Assert.True(result.IsSuccessful, "Not sealed: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    private static bool IsInitOnly(System.Reflection.PropertyInfo property) =>
        property.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private static void AssertNoDependency(System.Reflection.Assembly assembly, params string[] forbidden)
    {
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful, "Offending types: " + string.Join(", ", result.FailingTypeNames ?? []));
    }
}
