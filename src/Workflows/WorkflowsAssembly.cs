namespace OneInbox.Workflows;

/// <summary>Marks the automation engine's assembly for registration and architecture tests.</summary>
public static class WorkflowsAssembly;
