using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OneInbox.Application.Common;
using OneInbox.Application.Contacts;
using OneInbox.Application.Flows;
using OneInbox.Application.Reports;
using OneInbox.Domain.Conversations;
using OneInbox.Workflows.Compilation;
using OneInbox.Workflows.Expressions;
using OneInbox.Workflows.Runtime;

namespace OneInbox.Workflows.Activities;

public sealed class SendMessageActivity : Activity
{
    public const int MaxButtons = 10;

    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "SendMessage", "Send message", "Messaging", "Sends a text (Liquid template) with optional buttons and media.", "message",
        [
            Input("text", "Text", "template", required: true, hint: "Liquid: {{ contact.name }}, {{ vars.email }}"),
            Input("buttons", "Buttons", "buttons", hint: "Quick replies; each comes back as its payload."),
            Input("media", "Media", "json", hint: """{"url": "https://cdn.example.com/{{ vars.sku | url_encode }}.png", "kind": "image"} (the url may use Liquid after a written-out https://; kind: image, video, audio or document, from the file's extension when left out)"""),
        ],
        [Done]);

    public override ActivityStep Compile(NodeInputs inputs)
    {
        var text = inputs.Template("text", required: true);
        var buttons = inputs.Pairs("buttons", "payload", MaxButtons).Select(b => new BotButton(b.Title, b.Value)).ToList();
        var media = Media(inputs);
        return new Step(text, buttons, media);
    }

    /// <summary>
    /// The media is a public https URL that the channel passes on (Telegram fetches it itself, an API
    /// receiver gets it in the callback), so it is checked against the same rules the SSRF guard applies: no
    /// http, no local names, no inward addresses. A fixed URL is checked here, when the flow is validated or
    /// published; a templated one has what is written out checked here and the rendered URL checked when it runs.
    /// </summary>
    private static MediaTemplate? Media(NodeInputs inputs)
    {
        if (inputs.Json("media") is not { } m || m.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return null;
        if (m.ValueKind != JsonValueKind.Object)
        {
            inputs.Problem("media", """Media is an object: {"url": "https://...", "kind": "image"}.""");
            return null;
        }
        var url = m.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()?.Trim() : null;
        var kind = m.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()?.Trim().ToLowerInvariant() : null;
        var template = UrlTemplate(inputs, url);
        var valid = template is not null;
        if (kind is not null && !BotMedia.Kinds.Contains(kind))
        {
            inputs.Problem("media", $"The media kind is one of: {string.Join(", ", BotMedia.Kinds)}.");
            valid = false;
        }
        return valid ? new MediaTemplate(template!, kind) : null;
    }

    private static CompiledTemplate? UrlTemplate(NodeInputs inputs, string? url)
    {
        CompiledTemplate? template = null;
        if (!string.IsNullOrWhiteSpace(url))
        {
            try
            {
                template = CompiledTemplate.Compile(url);
            }
            catch (ExpressionException e)
            {
                inputs.Problem("media", $"The media URL is not a valid template: {e.Message}");
                return null;
            }
        }
        if (template is null || template.IsLiteral)
        {
            if (PublicAddresses.ProblemWithHttpsUrl(url) is { } problem)
            {
                inputs.Problem("media", $"The media URL is refused: {problem}");
                return null;
            }
            return template;
        }
        if (ProblemWithWrittenOutPart(template.Source) is { } written)
        {
            inputs.Problem("media", $"The media URL is refused: {written}");
            return null;
        }
        return template;
    }

    /// <summary>
    /// A placeholder must not choose the scheme, and when the host is written out in full (the literal text
    /// reaches a '/', '?' or '#' after it) it is held to the same rules now rather than at every send.
    /// </summary>
    private static string? ProblemWithWrittenOutPart(string source)
    {
        const string scheme = "https://";
        if (!source.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return "A URL with placeholders must start with https:// written out.";
        var literal = source[..MarkupStart(source)];
        var authorityEnd = literal.IndexOfAny(['/', '?', '#'], scheme.Length);
        if (authorityEnd < 0)
            return null; // the host itself is (partly) rendered: only the rendered URL can be checked
        return PublicAddresses.ProblemWithHttpsUrl(literal[..authorityEnd] + "/");
    }

    private static int MarkupStart(string source)
    {
        var output = source.IndexOf("{{", StringComparison.Ordinal);
        var tag = source.IndexOf("{%", StringComparison.Ordinal);
        return output < 0 ? tag : tag < 0 ? output : Math.Min(output, tag);
    }

    /// <summary>Flows written before the kind mattered may leave it out; the file's extension tells, else it goes as a document.</summary>
    private static string KindFromExtension(string url) =>
        Path.GetExtension(new Uri(url).AbsolutePath).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" or ".png" or ".gif" or ".webp" => "image",
            ".mp4" or ".mov" or ".webm" => "video",
            ".mp3" or ".m4a" or ".ogg" or ".oga" or ".wav" => "audio",
            _ => "document",
        };

    /// <param name="Kind">As written, or null to take it from the (rendered) URL's extension.</param>
    private sealed record MediaTemplate(CompiledTemplate Url, string? Kind)
    {
        /// <summary>Longer than any real file address; a template that renders more has gone wrong.</summary>
        private const int MaxRenderedLength = 2000;

        public async ValueTask<BotMedia> RenderAsync(ActivityExecution execution)
        {
            if (Url.IsLiteral)
                return new BotMedia(Url.Source, Kind ?? KindFromExtension(Url.Source));
            var url = (await execution.RenderAsync(Url)).Trim();
            execution.Input("media", new Dictionary<string, object?> { ["url"] = url, ["kind"] = Kind });
            // The rendered URL never reaches a channel unchecked: a refused one fails the step, so people take over.
            var problem = url.Length > MaxRenderedLength
                ? $"It is longer than {MaxRenderedLength} characters."
                : PublicAddresses.ProblemWithHttpsUrl(url);
            if (problem is not null)
                throw new InvalidOperationException($"The media URL rendered from its template is refused, so the message was not sent: {problem}");
            return new BotMedia(url, Kind ?? KindFromExtension(url));
        }
    }

    private sealed class Step(CompiledTemplate? text, List<BotButton> buttons, MediaTemplate? media) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var rendered = text is null ? string.Empty : await execution.RenderAsync(text);
            execution.Input("text", rendered);
            if (buttons.Count > 0)
                execution.Input("buttons", buttons.Select(b => b.Payload).ToList());
            BotMedia? sent = null;
            if (media is not null)
            {
                sent = await media.RenderAsync(execution);
                execution.Input("media", new Dictionary<string, object?> { ["url"] = sent.Url, ["kind"] = sent.Kind });
            }
            await execution.SendAsync(new BotMessage(rendered, buttons, sent));
            return StepResult.Done;
        }
    }
}

/// <summary>
/// Sends an approved message template (WhatsApp's only message outside the 24-hour customer service window), its body
/// parameters rendered as Liquid. A template the connection does not have, or the wrong number of parameters, faults
/// the step and hands the conversation to people.
/// </summary>
public sealed class SendTemplateActivity : Activity
{
    public const int MaxParameters = 20;

    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "SendTemplate", "Send template", "Messaging", "Sends an approved WhatsApp message template, also after the 24-hour window.", "template",
        [
            Input("name", "Template name", "text", required: true, hint: "As approved in WhatsApp Manager, e.g. order_update"),
            Input("language", "Language", "text", defaultValue: "en_US", hint: "The template's language code, e.g. en_US, es, de"),
            Input("parameters", "Body parameters", "json", hint: "A list of Liquid texts for the body's {{1}}, {{2}} ... in order, e.g. [\"{{ contact.name }}\"]"),
        ],
        [Done]);

    public override ActivityStep Compile(NodeInputs inputs)
    {
        var name = inputs.Text("name", required: true) ?? string.Empty;
        var language = inputs.Text("language", defaultValue: "en_US") ?? "en_US";
        var parameters = new List<CompiledTemplate>();
        if (inputs.Json("parameters") is { } raw && raw.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            if (raw.ValueKind != JsonValueKind.Array || raw.GetArrayLength() > MaxParameters || raw.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.String))
            {
                inputs.Problem("parameters", $"Parameters are a list of at most {MaxParameters} texts, one per placeholder of the body.");
            }
            else
            {
                foreach (var parameter in raw.EnumerateArray())
                {
                    try
                    {
                        parameters.Add(CompiledTemplate.Compile(parameter.GetString()!));
                    }
                    catch (ExpressionException e)
                    {
                        inputs.Problem("parameters", e.Message);
                    }
                }
            }
        }
        return new Step(name.Trim(), language.Trim(), parameters);
    }

    private sealed class Step(string name, string language, List<CompiledTemplate> parameters) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var values = new List<string>(parameters.Count);
            foreach (var parameter in parameters)
                values.Add(await execution.RenderAsync(parameter));
            execution.Input("template", $"{name} ({language})");
            execution.Input("parameters", values);
            await execution.SendTemplateAsync(name, language, values);
            return StepResult.Done;
        }
    }
}

/// <summary>
/// Sends a prompt and waits for the reply; the reply is validated, retried with a message, and stored in a
/// variable. Choice questions offer the choices as buttons and have one outcome per choice.
/// </summary>
public sealed partial class AskQuestionActivity : Activity
{
    public const string Answered = "answered";
    public const string Invalid = Application.Reports.AskQuestionOutcomes.Invalid;
    public const string Timeout = Application.Reports.AskQuestionOutcomes.Timeout;
    private static readonly string[] Validations = ["text", "number", "email", "phone", "date", "choice"];

    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "AskQuestion", "Ask question", "Messaging", "Asks the customer, waits for the answer, validates it and stores it in a variable.", "question",
        [
            Input("prompt", "Question", "template", required: true),
            Input("validation", "Expected answer", "choice", defaultValue: "text", options: Options(Validations)),
            Input("choices", "Choices", "choices", hint: "For choice questions: offered as buttons; each value is an outcome."),
            Input("variable", "Save answer in", "variable"),
            Input("retryMessage", "Message when invalid", "template", defaultValue: "Sorry, I did not understand that."),
            Input("maxAttempts", "Attempts", "number", defaultValue: 3),
            Input("timeout", "Give up after", "duration", hint: "e.g. 1h; leaves through 'timeout'."),
        ],
        [Answered, Invalid, Timeout],
        new DynamicOutcomesDto("choices", [Invalid, Timeout]));

    public override ActivityStep Compile(NodeInputs inputs)
    {
        var prompt = inputs.Template("prompt", required: true);
        var validation = inputs.Choice("validation", Validations, "text");
        var choices = inputs.Pairs("choices", "value", SendMessageActivity.MaxButtons, required: validation == "choice");
        var variable = inputs.Variable("variable", required: false);
        var retry = inputs.Template("retryMessage") ?? CompiledTemplate.Compile("Sorry, I did not understand that.");
        var attempts = inputs.WholeNumber("maxAttempts", 3, 1, 10);
        var timeout = inputs.Duration("timeout");
        return new Step(prompt, validation, choices, variable, retry, attempts, timeout);
    }

    private sealed class Step(
        CompiledTemplate? prompt, string validation, List<(string Title, string Value)> choices, string? variable,
        CompiledTemplate retry, int maxAttempts, TimeSpan? timeout) : ActivityStep
    {
        private readonly List<BotButton> _buttons = choices.Select(c => new BotButton(c.Title, c.Value)).ToList();

        public override IReadOnlyList<string>? Outcomes { get; } =
            validation == "choice" ? [.. choices.Select(c => c.Value), Invalid, Timeout] : null;

        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var text = prompt is null ? string.Empty : await execution.RenderAsync(prompt);
            execution.Input("prompt", text);
            await execution.SendAsync(new BotMessage(text, _buttons, null));
            return StepResult.WaitOn(Wait(execution, 0));
        }

        private Bookmark Wait(ActivityExecution execution, int attempts) =>
            execution.Wait(BookmarkKind.Reply, timeout is { } t ? execution.Clock.GetUtcNow() + t : null, attempts);

        public override async ValueTask<StepResult> ResumeAsync(ActivityExecution execution, Stimulus stimulus, Bookmark bookmark)
        {
            if (stimulus is TimerStimulus)
            {
                execution.Input("timeout", timeout?.ToString());
                return StepResult.Follow(Timeout);
            }
            var reply = (MessageStimulus)stimulus;
            execution.Input("answer", reply.ButtonPayload ?? reply.Text);
            if (TryAccept(reply, out var value, out var outcome))
            {
                if (variable is not null)
                    execution.SetVariable(variable, value);
                execution.Input("accepted", value);
                return StepResult.Follow(outcome);
            }
            var attempts = bookmark.Attempts + 1;
            execution.Input("attempt", attempts);
            if (attempts >= maxAttempts)
                return StepResult.Follow(Invalid);
            var again = await execution.RenderAsync(retry);
            var promptText = prompt is null ? string.Empty : await execution.RenderAsync(prompt);
            await execution.SendAsync(new BotMessage(string.IsNullOrWhiteSpace(again) ? promptText : again, _buttons, null));
            return StepResult.WaitOn(Wait(execution, attempts));
        }

        private bool TryAccept(MessageStimulus reply, out object? value, out string outcome)
        {
            var text = (reply.Text ?? string.Empty).Trim();
            outcome = Answered;
            value = null;
            switch (validation)
            {
                case "choice":
                    var choice = choices.FindIndex(c => c.Value.Equals(reply.ButtonPayload ?? text, StringComparison.OrdinalIgnoreCase)
                        || c.Title.Equals(text, StringComparison.OrdinalIgnoreCase));
                    if (choice < 0 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 1 && index <= choices.Count)
                        choice = index - 1;
                    if (choice < 0)
                        return false;
                    value = choices[choice].Value;
                    outcome = choices[choice].Value;
                    return true;
                case "number":
                    if (!double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                        return false;
                    value = number;
                    return true;
                case "email":
                    if (!Email().IsMatch(text))
                        return false;
                    value = text.ToLowerInvariant();
                    return true;
                case "phone":
                    if (!ContactRules.TryNormalizePhone(text, out var e164))
                        return false;
                    value = e164;
                    return true;
                case "date":
                    if (!DateOnly.TryParseExact(text, ["yyyy-MM-dd", "d.M.yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                        return false;
                    value = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    return true;
                default:
                    if (text.Length == 0)
                        return false;
                    value = text;
                    return true;
            }
        }
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")]
    private static partial Regex Email();
}

/// <summary>
/// Asks the customer to rate the help they got, 1 to 5, with buttons (typing the number works too), and records the
/// rating on the conversation; optionally asks for a comment after. Meant for flows on the ConversationResolved trigger:
/// the question does not reopen the conversation and the answer comes back to it. Anything else the customer writes
/// skips the rating and opens the conversation again for people. Outcomes: rated, skipped, timeout.
/// </summary>
public sealed class AskRatingActivity : Activity
{
    public const string Rated = "rated";
    public const string Skipped = "skipped";
    public const string Timeout = AskQuestionOutcomes.Timeout;
    private const int RatingPhase = 0;
    private const int CommentPhase = 1;
    private static readonly List<BotButton> Scores =
        [.. Enumerable.Range(1, 5).Select(n => new BotButton(n.ToString(CultureInfo.InvariantCulture), $"rating-{n}"))];

    public override ActivityDescriptorDto Descriptor { get; } = Describe(
        "AskRating", "Ask for a rating", "Messaging",
        "Asks the customer to rate the help they got from 1 to 5 and records it on the conversation (customer satisfaction reports).", "star",
        [
            Input("prompt", "Question", "template", defaultValue: "How would you rate the help you got? 1 = poor, 5 = excellent."),
            Input("comment", "Then ask", "template", hint: "Optional: a question for a comment after the rating."),
            Input("timeout", "Give up after", "duration", defaultValue: "1d", hint: "At most a day: later answers start a new conversation."),
        ],
        [Rated, Skipped, Timeout]);

    public override ActivityStep Compile(NodeInputs inputs)
    {
        var timeout = inputs.Duration("timeout") ?? Conversation.RatingWindow;
        if (timeout > Conversation.RatingWindow)
            throw new FormatException("'Give up after' is at most a day: a later answer starts a new conversation.");
        return new Step(inputs.Template("prompt"), inputs.Template("comment"), timeout);
    }

    private sealed class Step(CompiledTemplate? prompt, CompiledTemplate? comment, TimeSpan timeout) : ActivityStep
    {
        public override async ValueTask<StepResult> ExecuteAsync(ActivityExecution execution)
        {
            var text = prompt is null ? "How would you rate the help you got? 1 = poor, 5 = excellent." : await execution.RenderAsync(prompt);
            execution.Input("prompt", text);
            await execution.Actions.AskForRatingAsync(new BotMessage(text, Scores, null), execution.CancellationToken);
            return StepResult.WaitOn(Wait(execution, RatingPhase));
        }

        private Bookmark Wait(ActivityExecution execution, int phase) =>
            execution.Wait(BookmarkKind.Reply, execution.Clock.GetUtcNow() + timeout, phase);

        public override async ValueTask<StepResult> ResumeAsync(ActivityExecution execution, Stimulus stimulus, Bookmark bookmark)
        {
            var commenting = bookmark.Attempts == CommentPhase;
            if (stimulus is TimerStimulus)
            {
                await execution.Actions.StopAwaitingRatingAsync(reopen: false, execution.CancellationToken);
                return StepResult.Follow(commenting ? Rated : Timeout);
            }
            var reply = (MessageStimulus)stimulus;
            if (commenting)
            {
                // The comment is the customer's message itself, kept in the conversation like any other.
                await execution.Actions.StopAwaitingRatingAsync(reopen: false, execution.CancellationToken);
                return StepResult.Follow(Rated);
            }
            if (ScoreOf(reply) is not { } score)
            {
                execution.Input("answer", reply.Text);
                await execution.Actions.StopAwaitingRatingAsync(reopen: true, execution.CancellationToken);
                return StepResult.Follow(Skipped);
            }
            execution.Input("rating", score);
            execution.Rating = score;
            await execution.Actions.RateAsync(score, execution.CancellationToken);
            if (comment is null)
            {
                await execution.Actions.StopAwaitingRatingAsync(reopen: false, execution.CancellationToken);
                return StepResult.Follow(Rated);
            }
            var question = await execution.RenderAsync(comment);
            execution.Input("comment", question);
            await execution.Actions.AskForRatingAsync(new BotMessage(question, [], null), execution.CancellationToken);
            return StepResult.WaitOn(Wait(execution, CommentPhase));
        }

        private static int? ScoreOf(MessageStimulus reply)
        {
            var answer = (reply.ButtonPayload ?? reply.Text ?? string.Empty).Trim();
            if (answer.StartsWith("rating-", StringComparison.Ordinal))
                answer = answer["rating-".Length..];
            return int.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 5 ? n : null;
        }
    }
}
