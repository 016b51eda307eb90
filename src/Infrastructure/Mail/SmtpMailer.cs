using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using OneInbox.Application.Common;

namespace OneInbox.Infrastructure.Mail;

/// <summary>
/// Sends the platform's own mail (closure and account-deletion confirmations) over SMTP with MailKit. Without a
/// configured host the mail is written as an .eml file under <c>data/mail</c>, so a fresh installation loses nothing
/// and an operator can see what would have gone out. The log names neither the address nor the content.
/// </summary>
internal sealed partial class SmtpMailer(MailOptions options, StorageSettings storage, TimeProvider clock, ILogger<SmtpMailer> logger) : IMailer
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.Text };
        try
        {
            if (string.IsNullOrWhiteSpace(options.SmtpHost))
            {
                var folder = Path.Combine(storage.DataPath, "mail");
                Directory.CreateDirectory(folder);
                await message.WriteToAsync(Path.Combine(folder, $"{clock.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid():N}.eml"), cancellationToken);
                LogKept();
                return;
            }

            using var client = new SmtpClient();
            await client.ConnectAsync(options.SmtpHost, options.SmtpPort,
                options.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
            if (!string.IsNullOrEmpty(options.Username))
                await client.AuthenticateAsync(options.Username, options.Password ?? string.Empty, cancellationToken);
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change the mail confirms is done; a mail server down must not undo it.
            LogFailed(ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No SMTP host is configured: a confirmation mail was kept in the data folder's mail directory")]
    private partial void LogKept();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A confirmation mail could not be sent ({Error})")]
    private partial void LogFailed(string error);
}

/// <summary>Settings of the platform's mail (<c>OneInbox:Mail</c>).</summary>
public sealed class MailOptions
{
    public const string Section = "OneInbox:Mail";

    /// <summary>The SMTP server; empty keeps mail as files under the data folder.</summary>
    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    /// <summary>STARTTLS before anything is sent (on by default; a loopback test server turns it off).</summary>
    public bool UseTls { get; set; } = true;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "OneInbox <no-reply@oneinbox.local>";
}

public static class MailSetup
{
    public static IServiceCollection AddMail(this IServiceCollection services, MailOptions options) =>
        services.AddSingleton(options).AddSingleton<IMailer, SmtpMailer>();
}
