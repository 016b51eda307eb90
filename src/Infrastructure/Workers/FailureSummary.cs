namespace OneInbox.Infrastructure.Workers;

/// <summary>How a failure is written on a row (its last error) for operators: the type and message, never a payload.</summary>
public static class FailureSummary
{
    public static string Of(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";
}
