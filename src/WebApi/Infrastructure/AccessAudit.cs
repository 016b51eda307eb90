using OneInbox.Application.Common;
using OneInbox.Application.Identity;

namespace OneInbox.WebApi.Infrastructure;

/// <summary>Marks an endpoint that returns personal data, and the access action its reads are recorded under.</summary>
public sealed record AccessAudited(string Action);

/// <summary>
/// The audit of access to personal data at the edge: an endpoint that returns it declares
/// <c>.RecordsAccess("contact.read")</c>, and each successful call is recorded (who, which record, the action, IP,
/// user agent, client) without a database round trip of its own. The record is the first id in the route
/// (<c>contact:…</c>, <c>conversation:…</c>); the contact it concerns comes from the route or from a result that
/// names one (<see cref="IAboutContact"/>). A sweep over the OpenAPI document fails for a read endpoint that is
/// neither audited nor listed as holding no personal data.
/// </summary>
internal static class AccessAudit
{
    /// <summary>Route values that name a record, most specific first.</summary>
    private static readonly (string Route, string Kind)[] Records =
    [
        ("attachmentId", "attachment"), ("caseId", "review"), ("requestId", "privacyRequest"), ("instanceId", "flowInstance"),
        ("conversationId", "conversation"), ("contactId", "contact"), ("connectionId", "connection"),
    ];

    public static RouteHandlerBuilder RecordsAccess(this RouteHandlerBuilder endpoint, string action) =>
        endpoint.WithMetadata(new AccessAudited(action)).AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            if (result is IStatusCodeHttpResult { StatusCode: < 200 or >= 300 })
                return result;
            var http = context.HttpContext;
            http.RequestServices.GetRequiredService<IAccessLog>().Read(action, TargetOf(http), SubjectOf(http, result));
            return result;
        });

    private static string TargetOf(HttpContext http)
    {
        foreach (var (route, kind) in Records)
        {
            if (http.Request.RouteValues.TryGetValue(route, out var id) && Guid.TryParse(id?.ToString(), out var guid))
                return $"{kind}:{guid}";
        }
        return "list:" + http.Request.Path.Value;
    }

    private static Guid? SubjectOf(HttpContext http, object? result)
    {
        if (http.Request.RouteValues.TryGetValue("contactId", out var id) && Guid.TryParse(id?.ToString(), out var contactId))
            return contactId;
        return result is IValueHttpResult { Value: IAboutContact about } ? about.ContactId : null;
    }
}
