using System.Globalization;
using System.Text.Json.Nodes;
using OneInbox.Application.Flows;
using OneInbox.Workflows.Compilation;
using OneInbox.Workflows.Expressions;

namespace OneInbox.Workflows.Runtime;

/// <summary>
/// What a step sees while it runs: the instance's variables and the conversation facts (as an expression
/// scope and a template model), the ports, and the journal entry it is writing.
/// </summary>
public sealed class ActivityExecution : IExpressionScope
{
    private readonly CompiledFlow _flow;
    private Dictionary<string, object?>? _inputs;
    private List<string>? _messagesSent;
    private TemplateModel? _model;

    internal ActivityExecution(CompiledFlow flow, FlowInstanceState state, FlowRunContext context, TimeProvider clock, CancellationToken cancellationToken)
    {
        _flow = flow;
        State = state;
        Context = context;
        Clock = clock;
        CancellationToken = cancellationToken;
    }

    public FlowInstanceState State { get; }

    public FlowRunContext Context { get; }

    public TimeProvider Clock { get; }

    public CancellationToken CancellationToken { get; }

    public string NodeId { get; internal set; } = string.Empty;

    /// <summary>The message that started or resumed the instance in this run (text, buttonPayload).</summary>
    public Dictionary<string, object?> Message { get; } = new(StringComparer.Ordinal);

    public IConversationActions Actions => Context.Actions;

    public string? Assignment { get; set; }

    /// <summary>Set by a step that gave the conversation to people: why, as a category (<see cref="Domain.Reports.FlowHandOff"/>).</summary>
    public string? HandedOff { get; set; }

    /// <summary>Set by a step that recorded the customer's rating (1-5), for the flow's satisfaction report.</summary>
    public int? Rating { get; set; }

    public TemplateModel Model => _model ??= new TemplateModel(State.Variables, Message, Context.Contact, Context.Conversation);

    public object? Root(ScopeRoot root, string name) => root switch
    {
        ScopeRoot.Vars => State.Variables.GetValueOrDefault(name),
        ScopeRoot.Message => Message.GetValueOrDefault(name),
        ScopeRoot.Contact => Context.Contact.GetValueOrDefault(name),
        _ => Context.Conversation.GetValueOrDefault(name),
    };

    public ValueTask<string> RenderAsync(CompiledTemplate template) =>
        template.IsLiteral ? ValueTask.FromResult(template.Source) : template.RenderAsync(Model);

    /// <summary>Records an input as evaluated, for the journal.</summary>
    public void Input(string name, object? value) => (_inputs ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = value;

    public async ValueTask SendAsync(BotMessage message)
    {
        await Actions.SendMessageAsync(message, CancellationToken);
        (_messagesSent ??= []).Add(message.Text);
    }

    /// <summary>Sends an approved template; the journal keeps the text the customer reads.</summary>
    public async ValueTask<string> SendTemplateAsync(string name, string language, IReadOnlyList<string> parameters)
    {
        var text = await Actions.SendTemplateAsync(name, language, parameters, CancellationToken);
        (_messagesSent ??= []).Add(text);
        return text;
    }

    public Bookmark Wait(BookmarkKind kind, DateTimeOffset? dueAt, int attempts = 0) =>
        new(Guid.CreateVersion7(), NodeId, kind, dueAt, attempts);

    /// <summary>Stores a value converted to the variable's declared type; a value that does not convert fails the step.</summary>
    public void SetVariable(string name, object? value) => State.Variables[name] = Coerce(name, value);

    private object? Coerce(string name, object? value)
    {
        if (value is null || !_flow.Variables.TryGetValue(name, out var type))
            return value;
        switch (type)
        {
            case "number":
                return Values.TryNumber(value, out var d) ? d : throw new InvalidOperationException($"'{Values.Text(value)}' is not a number for variable '{name}'.");
            case "boolean":
                return Values.Truthy(value);
            case "date":
                if (value is DateOnly)
                    return Values.Text(value);
                var text = Values.Text(value).Trim();
                return DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var date) || DateOnly.TryParseExact(text, "d.M.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
                    ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : throw new InvalidOperationException($"'{text}' is not a date for variable '{name}'.");
            case "json":
                if (value is JsonNode)
                    return value;
                try
                {
                    return JsonNode.Parse(Values.Text(value));
                }
                catch (System.Text.Json.JsonException)
                {
                    return JsonValue.Create(Values.Text(value));
                }
            default:
                return Values.Text(value);
        }
    }

    internal void BeginNode(string nodeId)
    {
        NodeId = nodeId;
        _inputs = null;
        _messagesSent = null;
        Assignment = null;
        HandedOff = null;
        Rating = null;
    }

    internal IReadOnlyDictionary<string, object?> TakeInputs() => _inputs ?? Empty;

    internal IReadOnlyList<string> TakeMessages() => (IReadOnlyList<string>?)_messagesSent ?? [];

    private static readonly Dictionary<string, object?> Empty = [];
}
