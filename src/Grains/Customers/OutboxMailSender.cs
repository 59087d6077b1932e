using Microsoft.Extensions.Logging;

namespace TiBillet.Grains.Customers;

/// <summary>
/// The mail sender of a run with no SMTP server: each message is logged and written as a file under the outbox folder,
/// so a newcomer can still sign in. Replaced by the SMTP sender when one is configured.
/// </summary>
public sealed partial class OutboxMailSender(string directory, ILogger<OutboxMailSender> logger) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{DateTimeOffset.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.eml");
        var text = $"To: {mail.To.Value}\nSubject: {mail.Subject}\n\n{mail.Body}\n";
        await File.WriteAllTextAsync(path, text, cancellationToken);
        LogWritten(logger, path, mail.Subject, mail.Body);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No SMTP server configured: e-mail written to {Path}. {Subject}: {Body}")]
    private static partial void LogWritten(ILogger logger, string path, string subject, string body);
}
