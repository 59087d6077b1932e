namespace TiBillet.Grains.Customers;

/// <summary>
/// Sends e-mail to customers (sign-in links, link confirmations). The host picks the implementation: SMTP when configured,
/// otherwise a local outbox a newcomer can read.
/// </summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}
