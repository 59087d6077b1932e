using System.Collections.Concurrent;
using TiBillet.Grains.Common;
using TiBillet.Grains.Customers;

namespace TiBillet.GraphQL.Tests.Trust;

/// <summary>Keeps every mail the silo sends, so a test can read the code that went to an address (and only there).</summary>
public sealed class CapturingMailSender : IMailSender
{
    private readonly ConcurrentQueue<OutgoingMail> _sent = new();

    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        _sent.Enqueue(mail);
        return Task.CompletedTask;
    }

    /// <summary>The mails sent to <paramref name="email"/>, oldest first.</summary>
    public IReadOnlyList<OutgoingMail> To(string email)
    {
        var address = EmailAddress.Parse(email);
        return [.. _sent.Where(m => m.To == address)];
    }

    /// <summary>The confirmation code of the last card-link mail sent to <paramref name="email"/> (the body's line of its own).</summary>
    public string LastLinkToken(string email)
    {
        var body = To(email).Last(m => m.Subject.Contains("link", StringComparison.OrdinalIgnoreCase)).Body;
        return body.Split('\n').Select(l => l.Trim()).First(l => l.Length == 43 && !l.Contains(' ', StringComparison.Ordinal));
    }
}
