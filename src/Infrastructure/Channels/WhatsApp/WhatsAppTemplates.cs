using System.Text.Json.Nodes;
using OneInbox.Application.Channels;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Channels;

namespace OneInbox.Infrastructure.Channels.WhatsApp;

/// <summary>The WABA's message templates (GET /{waba-id}/message_templates), with the body text each one sends.</summary>
internal sealed class WhatsAppTemplates(WhatsAppGraph graph) : IChannelTemplateSource
{
    public ChannelType Channel => WhatsAppModule.Channel;

    public async ValueTask<IReadOnlyList<MessageTemplateDto>> FetchAsync(ChannelEndpoint endpoint, CancellationToken cancellationToken)
    {
        var waba = WhatsAppGraph.Setting(endpoint, WhatsAppCredentials.BusinessAccountId);
        var result = await graph.GetAsync(endpoint, $"{waba}/message_templates?limit=250&fields=name,language,status,category,components", cancellationToken);
        if (result.Body?["data"] is not JsonArray data)
            throw new ServiceUnavailableException($"WhatsApp did not list the templates (error {result.Error?.Code ?? (int)result.Status}); try again later.", TimeSpan.FromSeconds(30));
        return data.OfType<JsonObject>().Select(Read).Where(t => t is not null).Select(t => t!).OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Language, StringComparer.Ordinal).ToList();
    }

    private static MessageTemplateDto? Read(JsonObject template)
    {
        if (template["name"]?.GetValue<string>() is not { } name || template["language"]?.GetValue<string>() is not { } language)
            return null;
        var body = (template["components"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => string.Equals(c["type"]?.GetValue<string>(), "BODY", StringComparison.OrdinalIgnoreCase))?["text"]?.GetValue<string>() ?? string.Empty;
        return new MessageTemplateDto(name, language, template["category"]?.GetValue<string>() ?? "UTILITY", template["status"]?.GetValue<string>() ?? "PENDING",
            body, MessageTemplates.CountParameters(body));
    }
}
