using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Flows;
using OneInbox.Application.Identity;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

/// <summary>
/// Customers exercise their rights in the chat. Where the workspace allows it, "delete my data" or "export my data"
/// (or the admin's phrases), in any conversation and before any flow, asks for a confirmation with two buttons; "yes"
/// opens the request, tied to the channel identity that asked (its verification), and tells the customer the reference
/// and the due date over the same channel. "stop" withdraws marketing consent at once and confirms it. A flow's
/// PrivacyRequest step opens requests the same way. Everything is staged on the caller's unit of work.
/// </summary>
public sealed class ChatPrivacyRequests(IOneInboxDb db, IAuditLog audit, TimeProvider clock)
{
    public const string PayloadPrefix = "privacy:";

    public const string StopConfirmation = "You will not receive marketing messages from us any more.";

    public const string Cancelled = "All right, nothing was changed.";

    private PrivacySettings? _settings;

    /// <returns>Whether the message was a privacy phrase or the answer to one, and has been answered.</returns>
    public async Task<bool> HandleAsync(Conversation conversation, Message message, Func<Task<IConversationActions>> open, CancellationToken cancellationToken)
    {
        if (message.ButtonPayload is { } payload && payload.StartsWith(PayloadPrefix, StringComparison.Ordinal))
            return await AnswerAsync(conversation, payload[PayloadPrefix.Length..], open, cancellationToken);

        _settings ??= await db.GetPrivacySettingsAsync(cancellationToken);
        var type = _settings.ChatRequest(message.Text, out var stop);
        if (stop)
        {
            var contact = await db.Contacts.FindAsync([conversation.ContactId], cancellationToken);
            if (contact is null)
                return false;
            if (contact.MarketingConsent || contact.ConsentHistory.Count == 0)
                contact.RecordConsent(false, "marketing", "consent withdrawn", "chat: stop", null, clock);
            audit.Record("privacy.marketing_stopped", contact.Id.ToString(), "by chat");
            await (await open()).SendMessageAsync(new BotMessage(StopConfirmation, [], null), cancellationToken);
            return true;
        }
        if (type is not { } asked)
            return false;
        var (question, yes) = asked == PrivacyRequestType.Erasure
            ? ("Do you want us to delete all the data we hold about you? This cannot be undone.", "Yes, delete my data")
            : ("Do you want a copy of the data we hold about you?", "Yes, send me a copy");
        var name = asked.ToString().ToLowerInvariant();
        await (await open()).SendMessageAsync(new BotMessage(question, [new BotButton(yes, $"{PayloadPrefix}{name}:yes"), new BotButton("No", $"{PayloadPrefix}{name}:no")], null),
            cancellationToken);
        return true;
    }

    /// <summary>Opens the request for the conversation's contact (or finds the open one of the same type) and returns the text telling them.</summary>
    public async Task<string> OpenAsync(Guid contactId, PrivacyRequestType type, CancellationToken cancellationToken)
    {
        var request = await db.PrivacyRequests.FirstOrDefaultAsync(r => r.ContactId == contactId && r.Type == type
            && (r.Status == PrivacyRequestStatus.Received || r.Status == PrivacyRequestStatus.InProgress), cancellationToken);
        if (request is null)
        {
            var settings = _settings ??= await db.GetPrivacySettingsAsync(cancellationToken);
            request = PrivacyRequest.Receive(type, null, PrivacyRequestChannel.Chat, contactId, null, null, null, settings.ResponseDays, null, clock);
            db.PrivacyRequests.Add(request);
            audit.Record("privacy.request_received", request.Id.ToString(), $"{type} by {PrivacyRequestChannel.Chat}");
        }
        return $"Your request is registered (reference {Reference(request)}). We will answer by {request.DueAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.";
    }

    public static string Reference(PrivacyRequest request) => request.ConfirmationCode[..8].ToUpperInvariant();

    private async Task<bool> AnswerAsync(Conversation conversation, string answer, Func<Task<IConversationActions>> open, CancellationToken cancellationToken)
    {
        var parts = answer.Split(':');
        if (parts.Length != 2 || !Enum.TryParse<PrivacyRequestType>(parts[0], ignoreCase: true, out var type)
            || type is not (PrivacyRequestType.Erasure or PrivacyRequestType.Access) || parts[1] is not ("yes" or "no"))
            return false;
        var text = parts[1] == "yes" ? await OpenAsync(conversation.ContactId, type, cancellationToken) : Cancelled;
        await (await open()).SendMessageAsync(new BotMessage(text, [], null), cancellationToken);
        return true;
    }
}
