using TiBillet.Grains.Common;
using TiBillet.Grains.Tests.Support;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Tests.Common;

/// <summary>Parsers of the value types: no cluster.</summary>
public sealed class ValueTypeTests
{
    [Theory]
    [InlineData("04a2b3c4", "04A2B3C4")]
    [InlineData("04:A2:B3:C4:D5:E6:F7", "04A2B3C4D5E6F7")]
    [InlineData(" 04 a2 b3 c4 d5 e6 f7 ", "04A2B3C4D5E6F7")]
    public void Card_uids_are_4_or_7_bytes_normalised_to_upper_hex(string input, string expected) => Assert.Equal(expected, CardUid.Parse(input).Value);

    [Theory]
    [InlineData("")]
    [InlineData("04A2B3")]
    [InlineData("04A2B3C4D5")]
    [InlineData("04A2B3C4D5E6F7A8")]
    [InlineData("04A2B3CG")]
    [InlineData(null)]
    public void Other_card_uids_are_BAD_USER_INPUT(string? input) => DomainAssert.Throws(ErrorCodes.BadUserInput, () => CardUid.Parse(input));

    [Fact]
    public void Card_numbers_are_8_letters_or_digits()
    {
        Assert.Equal("AB12CD34", CardNumber.Parse("ab12cd34").Value);
        DomainAssert.Throws(ErrorCodes.BadUserInput, () => CardNumber.Parse("AB12CD3"));
        DomainAssert.Throws(ErrorCodes.BadUserInput, () => CardNumber.Parse("AB12CD3-"));
    }

    [Fact]
    public void Idempotency_keys_are_1_to_255_printable_characters()
    {
        Assert.Equal(new string('k', 255), IdempotencyKey.Parse(new string('k', 255)).Value);
        DomainAssert.Throws(ErrorCodes.BadUserInput, () => IdempotencyKey.Parse(new string('k', 256)));
        DomainAssert.Throws(ErrorCodes.BadUserInput, () => IdempotencyKey.Parse(""));
        DomainAssert.Throws(ErrorCodes.BadUserInput, () => IdempotencyKey.Parse("a\nb"));
        Assert.True(new IdempotencyKey(new string('k', 255)).Derive("fusion").Value.Length <= 255);
    }

    [Fact]
    public void Venue_ids_emails_and_amounts_are_checked()
    {
        Assert.Equal("cafe-1", VenueId.Parse("cafe-1").Value);
        DomainAssert.Throws(ErrorCodes.BadUserInput, () => VenueId.Parse("Café"));
        Assert.Equal("ana@example.org", EmailAddress.Parse(" Ana@Example.org ").Value);
        Assert.Equal("***", EmailAddress.Parse("ana@example.org").ToString());
        DomainAssert.Throws(ErrorCodes.BadUserInput, () => EmailAddress.Parse("ana@"));
        DomainAssert.Throws(ErrorCodes.BadUserInput, () => Cents.RequirePositive(0));
        DomainAssert.Throws(ErrorCodes.BadUserInput, () => Cents.Add(long.MaxValue, 1));
        DomainAssert.Throws(ErrorCodes.BadUserInput, () => Cents.Multiply(long.MaxValue / 2, 3));
    }

    [Fact]
    public void Derived_wallet_ids_are_stable_and_distinct()
    {
        Assert.Equal(WalletId.OfVenue(new VenueId("a")), WalletId.OfVenue(new VenueId("a")));
        Assert.NotEqual(WalletId.OfVenue(new VenueId("a")), WalletId.OfVenue(new VenueId("b")));
        Assert.Equal(AssetId.Federated.Value, WalletId.MintOf(AssetId.Federated).Value);
    }

    [Fact]
    public void Request_fingerprints_separate_fields()
    {
        using var one = new RequestHasher("op").Add("a").Add("bc");
        using var two = new RequestHasher("op").Add("ab").Add("c");
        using var three = new RequestHasher("op").Add((string?)null).Add("abc");
        var hashes = new[] { one.Finish(), two.Finish(), three.Finish() };
        Assert.Equal(3, hashes.Select(Convert.ToHexString).Distinct().Count());
    }
}
