using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Common;
using TiBillet.GraphQL.Identity;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Trust;

/// <summary>
/// Customer credentials for tests: a token minted by the silo's own <see cref="TokenIssuer"/>, as the customer sign-in
/// flow issues it once the address is proven.
/// </summary>
public static class CustomerTokens
{
    /// <summary>The "Bearer …" header of the customer signed in as <paramref name="email"/>.</summary>
    public static string CustomerBearer(this SiloHostFixture silo, string email) =>
        "Bearer " + silo.Services.GetRequiredService<TokenIssuer>().IssueCustomer(EmailAddress.Parse(email)).Token;

    /// <summary>A fresh customer e-mail and its "Bearer …" header.</summary>
    public static (string Email, string Bearer) NewCustomer(this SiloHostFixture silo)
    {
        var email = $"customer-{Guid.NewGuid():N}@test.localhost";
        return (email, silo.CustomerBearer(email));
    }

    /// <summary>The signed-in customer links the card with its printed secret (tests register cards with QR id "qr-" + UID).</summary>
    public static Task<GraphQLResponse> LinkMyCardAsync(this SiloHostFixture silo, string uid, string bearer, string? key = null, string? qrId = null) =>
        silo.PostAsync("mutation($i: LinkMyCardInput!) { linkMyCard(input: $i) { card { uid state walletId } userWalletId moved { assetId amount fromWalletId toWalletId } } }",
            new { i = new { idempotencyKey = key ?? CashlessNetwork.NewKey(), qrId = qrId ?? "qr-" + uid } }, bearer);
}
