using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace OneInbox.IntegrationTests.Lifecycle;

/// <summary>
/// A logger provider that keeps every line as a production sink would see it: the formatted message, each structured
/// value, the scopes around it and the exception with its inner exceptions.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>Every captured line that contains the value (case-insensitive), for the assertion message.</summary>
    public IReadOnlyList<string> Containing(string value) =>
        _lines.Where(l => l.Contains(value, StringComparison.OrdinalIgnoreCase)).ToList();

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder().Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                    line.Append(" | ").Append(key).Append('=').Append(value);
            }
            capture._scopes.ForEachScope((scope, text) =>
            {
                text.Append(" | scope ").Append(scope);
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                        text.Append(' ').Append(key).Append('=').Append(value);
                }
            }, line);
            if (exception is not null)
                line.Append(" | exception ").Append(exception);
            capture._lines.Enqueue(line.ToString());
        }
    }
}
