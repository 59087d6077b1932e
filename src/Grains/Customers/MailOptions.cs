namespace TiBillet.Grains.Customers;

/// <summary>
/// Outgoing mail (section <c>MailOptions</c>). With <see cref="SmtpHost"/> set, mail goes through that SMTP server;
/// without, each message is written to <see cref="OutboxDirectory"/> and to the console.
/// </summary>
public sealed class MailOptions
{
    /// <summary>The SMTP server; empty means no SMTP (the local outbox).</summary>
    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    /// <summary>The From address of every message.</summary>
    public string Sender { get; set; } = "TiBillet <no-reply@tibillet.localhost>";

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    public bool UseTls { get; set; }

    /// <summary>Upgrade the connection with STARTTLS, and refuse to send when the server does not offer it.</summary>
    public bool StartTls { get; set; } = true;

    /// <summary>SMTP login, when the server wants one (with <see cref="Password"/>).</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// Folder of the local outbox. When not set, the silo puts it beside its private PostgreSQL's data folder
    /// (<c>.tibillet/outbox</c> under its working directory by default).
    /// </summary>
    public string? OutboxDirectory { get; set; }
}
