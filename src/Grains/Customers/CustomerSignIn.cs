using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Customers;

/// <summary>
/// Password-less sign-in of customers: a request mails a six-digit code and a link holding a 256-bit token; either one,
/// given back within <see cref="CustomerSignInOptions.CodeLifetime"/>, signs in once. The first sign-in of an e-mail makes
/// its account (sign-up is the first sign-in). A request answers the same whether or not the e-mail is known.
/// </summary>
public sealed class CustomerSignIn(CustomerStore store, IMailSender mail, IOptions<CustomerSignInOptions> options)
{
    public const int CodeDigits = 6;

    /// <summary>Mails a new code and link to <paramref name="email"/>. Earlier pending ones stay good until they expire.</summary>
    public async Task RequestAsync(EmailAddress email, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var token = Base64UrlToken(RandomNumberGenerator.GetBytes(32));
        await store.AddSignInAsync(email, CodeHash(email, code), TokenHash(token), settings.CodeLifetime, cancellationToken);
        var link = $"{settings.LinkBaseUrl.TrimEnd('/')}/sign-in?token={token}";
        var minutes = (int)Math.Round(settings.CodeLifetime.TotalMinutes);
        await mail.SendAsync(new OutgoingMail(email, $"Your TiBillet sign-in code: {code}",
            $"""
             Your TiBillet sign-in code: {code}

             Or open this link: {link}

             The code and the link work once, for {minutes} minutes. If you did not ask to sign in, ignore this message.
             """), cancellationToken);
    }

    /// <summary>The account, when <paramref name="code"/> is a pending, unused, unexpired code of the e-mail; otherwise null.</summary>
    public Task<CustomerAccount?> SignInWithCodeAsync(EmailAddress email, string code, CancellationToken cancellationToken = default) =>
        code.Length == CodeDigits && code.All(char.IsAsciiDigit)
            ? store.UseCodeAsync(email, CodeHash(email, code), options.Value.MaxFailedAttempts, cancellationToken)
            : Task.FromResult<CustomerAccount?>(null);

    /// <summary>The account, when <paramref name="token"/> is the token of a pending, unused, unexpired link; otherwise null.</summary>
    public Task<CustomerAccount?> SignInWithTokenAsync(string token, CancellationToken cancellationToken = default) =>
        token.Length is > 0 and <= 128
            ? store.UseTokenAsync(TokenHash(token), cancellationToken)
            : Task.FromResult<CustomerAccount?>(null);

    // The e-mail is hashed with the code so a row's hash says nothing about another e-mail's code.
    private static byte[] CodeHash(EmailAddress email, string code) => SHA256.HashData(Encoding.UTF8.GetBytes(email.Value + "\n" + code));

    private static byte[] TokenHash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64UrlToken(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
