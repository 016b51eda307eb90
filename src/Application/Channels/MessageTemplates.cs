using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Contacts;

namespace OneInbox.Application.Channels;

/// <param name="Body">The body text with its placeholders ({{1}}, {{2}} ...), as the provider approved it.</param>
/// <param name="Status">The provider's review state: only "APPROVED" templates can be sent.</param>
/// <param name="Category">MARKETING, UTILITY or AUTHENTICATION.</param>
public sealed record MessageTemplateDto(string Name, string Language, string Category, string Status, string Body, int ParameterCount)
{
    public bool Approved => string.Equals(Status, "APPROVED", StringComparison.OrdinalIgnoreCase);

    public bool IsMarketing => string.Equals(Category, "MARKETING", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A channel whose provider keeps pre-approved message templates (WhatsApp): how to read them.</summary>
public interface IChannelTemplateSource
{
    ChannelType Channel { get; }

    ValueTask<IReadOnlyList<MessageTemplateDto>> FetchAsync(ChannelEndpoint endpoint, CancellationToken cancellationToken);
}

/// <summary>A template to send, as the outbox row carries it to the channel's sender.</summary>
public sealed record OutboundTemplate(string Name, string Language, IReadOnlyList<string> Parameters);

/// <summary>
/// A connection's approved templates, read from the provider and kept for a while (they change when the business
/// submits one and Meta reviews it: minutes to days), and the one check every template send goes through.
/// </summary>
public sealed partial class MessageTemplates(IEnumerable<IChannelTemplateSource> sources, TimeProvider clock)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<Guid, (DateTimeOffset Read, IReadOnlyList<MessageTemplateDto> Templates)> _cache = new();

    public bool Supports(ChannelType channel) => sources.Any(s => s.Channel == channel);

    public async ValueTask<IReadOnlyList<MessageTemplateDto>> ForAsync(ChannelConnection connection, bool refresh, CancellationToken cancellationToken)
    {
        var source = sources.FirstOrDefault(s => s.Channel == connection.Type)
            ?? throw new UnprocessableException("channel.no_templates", $"{connection.Type} connections have no message templates.");
        var now = clock.GetUtcNow();
        if (!refresh && _cache.TryGetValue(connection.Id, out var cached) && now - cached.Read < CacheLifetime)
            return cached.Templates;
        var templates = await source.FetchAsync(connection.ToEndpoint(), cancellationToken);
        _cache[connection.Id] = (now, templates);
        return templates;
    }

    /// <summary>
    /// Finds the approved template and renders its body with the parameters: the text the inbox shows. A marketing
    /// template goes only to a contact who consented to marketing (and did not withdraw it, by "stop" or a privacy
    /// request): enforced here, in the send path every agent and flow goes through.
    /// </summary>
    public async ValueTask<(OutboundTemplate Template, string Text)> PrepareAsync(
        ChannelConnection connection, Contact recipient, string name, string language, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        var templates = await ForAsync(connection, refresh: false, cancellationToken);
        var template = templates.FirstOrDefault(t => t.Name == name && string.Equals(t.Language, language, StringComparison.OrdinalIgnoreCase))
            ?? throw new UnprocessableException("template.unknown", $"No template '{name}' in language '{language}' on this connection; list them with GET /api/v1/channels/{connection.Id}/templates.");
        if (!template.Approved)
            throw new UnprocessableException("template.not_approved", $"Template '{name}' ({language}) is {template.Status.ToLowerInvariant()}, not approved: it cannot be sent yet.");
        if (template.IsMarketing && !recipient.MarketingConsent)
            throw new UnprocessableException("template.no_marketing_consent",
                $"Template '{name}' is a marketing template and this contact has not consented to marketing messages (or withdrew consent): it is not sent.");
        if (parameters.Count != template.ParameterCount)
            throw new UnprocessableException("template.parameters", $"Template '{name}' takes {template.ParameterCount} body parameter(s); {parameters.Count} given.");
        return (new OutboundTemplate(template.Name, template.Language, parameters), Render(template.Body, parameters));
    }

    /// <summary>{{1}} … {{n}} replaced by the parameters, as the customer will read it.</summary>
    public static string Render(string body, IReadOnlyList<string> parameters) =>
        Placeholder().Replace(body, m => int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) is var n && n >= 1 && n <= parameters.Count
            ? parameters[n - 1]
            : m.Value);

    public static int CountParameters(string body) =>
        Placeholder().Matches(body).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).Count();

    [GeneratedRegex(@"\{\{\s*(\d{1,2})\s*\}\}")]
    private static partial Regex Placeholder();
}

/// <summary>A connection's message templates; <paramref name="Refresh"/> reads them from the provider again.</summary>
public sealed record ListChannelTemplates(Guid ConnectionId, bool Refresh) : IQuery<IReadOnlyList<MessageTemplateDto>>;

public sealed class ListChannelTemplatesHandler(IOneInboxDb db, MessageTemplates templates) : IQueryHandler<ListChannelTemplates, IReadOnlyList<MessageTemplateDto>>
{
    public async ValueTask<IReadOnlyList<MessageTemplateDto>> Handle(ListChannelTemplates query, CancellationToken cancellationToken)
    {
        var connection = await db.ChannelConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == query.ConnectionId, cancellationToken)
            ?? throw new NotFoundException("Channel connection", query.ConnectionId);
        return await templates.ForAsync(connection, query.Refresh, cancellationToken);
    }
}
