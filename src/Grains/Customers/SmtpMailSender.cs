using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace TiBillet.Grains.Customers;

/// <summary>Sends each message through the configured SMTP server, one connection per message (sign-in mail is rare).</summary>
public sealed partial class SmtpMailSender(MailOptions options, ILogger<SmtpMailSender> logger) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Sender));
        message.To.Add(MailboxAddress.Parse(mail.To.Value));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.Body };

        var security = options.UseTls ? SecureSocketOptions.SslOnConnect
            : options.StartTls ? SecureSocketOptions.StartTls
            : SecureSocketOptions.None;
        using var client = new SmtpClient();
        await client.ConnectAsync(options.SmtpHost!, options.SmtpPort, security, cancellationToken);
        if (!string.IsNullOrEmpty(options.UserName))
        {
            await client.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        LogSent(logger, mail.Subject);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "E-mail sent over SMTP: {Subject}")]
    private static partial void LogSent(ILogger logger, string subject);
}
