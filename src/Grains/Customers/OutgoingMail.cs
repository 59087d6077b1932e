using TiBillet.Grains.Common;

namespace TiBillet.Grains.Customers;

/// <summary>One e-mail to send: a plain-text body, to one recipient.</summary>
public sealed record OutgoingMail(EmailAddress To, string Subject, string Body);
