using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Customers;

[Collection(SiloCollection.Name)]
public sealed class CustomerSignInApiTests(TestFieldsSiloFixture silo)
{
    private const string Request = "mutation($e: String!) { requestSignIn(input: {email: $e}) }";
    private const string ByCode = "mutation($e: String!, $c: String!) { signIn(input: {email: $e, code: $c}) { token expiresAt email firstSignIn } }";
    private const string ByToken = "mutation($t: String!) { signIn(input: {token: $t}) { token email firstSignIn } }";

    private static string NewEmail() => $"customer-{Guid.NewGuid():N}@test.localhost";

    private Task<long> AccountsAsync(string email) => silo.ScalarAsync("SELECT count(*) FROM customers WHERE email = $1", email);

    private async Task<(string Code, string Token)> RequestAsync(string email)
    {
        Assert.True((await silo.PostAsync(Request, new { e = email })).Data()["requestSignIn"]!.GetValue<bool>());
        return TestSmtpServer.SignInSecrets(await silo.Smtp.NextMessageAsync(email, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_first_sign_in_by_mailed_code_makes_the_account_and_returns_a_customer_token()
    {
        var email = NewEmail();
        var (code, token) = await RequestAsync(email);
        Assert.Matches("^[0-9]{6}$", code);
        Assert.NotEmpty(token);
        Assert.Equal(0, await AccountsAsync(email));

        var session = (await silo.PostAsync(ByCode, new { e = email, c = code })).Data()["signIn"]!;

        Assert.Equal(email, session["email"]!.GetValue<string>());
        Assert.True(session["firstSignIn"]!.GetValue<bool>());
        Assert.True(session["expiresAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddDays(6));
        Assert.Equal(1, await AccountsAsync(email));
        var me = (await silo.PostAsync("{ me { kind } myWallet { id } }", null, "Bearer " + session["token"]!.GetValue<string>())).Data();
        Assert.Equal("CUSTOMER", me["me"]!["kind"]!.GetValue<string>());
        Assert.Null(me["myWallet"]);
    }

    [Fact]
    public async Task Only_hashes_are_stored_and_a_code_lives_fifteen_minutes()
    {
        var email = NewEmail();
        var (code, token) = await RequestAsync(email);

        Assert.Equal(0, await silo.ScalarAsync(
            "SELECT count(*) FROM customer_sign_ins WHERE email = $1 AND (position(convert_to($2, 'UTF8') in code_hash) > 0 OR position(convert_to($3, 'UTF8') in token_hash) > 0)",
            email, code, token));
        Assert.Equal(15 * 60, await silo.ScalarAsync("SELECT extract(epoch FROM expires_at - created_at)::bigint FROM customer_sign_ins WHERE email = $1", email));
    }

    [Fact]
    public async Task A_code_signs_in_once()
    {
        var email = NewEmail();
        var (code, _) = await RequestAsync(email);
        (await silo.PostAsync(ByCode, new { e = email, c = code })).Data();

        var again = await silo.PostAsync(ByCode, new { e = email, c = code });

        Assert.Equal("UNAUTHENTICATED", again.ErrorCode());
        Assert.Null(again.Body["data"]);
    }

    [Fact]
    public async Task The_mailed_link_signs_in_once_and_a_second_sign_in_is_not_a_sign_up()
    {
        var email = NewEmail();
        var (code, _) = await RequestAsync(email);
        (await silo.PostAsync(ByCode, new { e = email, c = code })).Data();
        var (_, token) = await RequestAsync(email);

        var session = (await silo.PostAsync(ByToken, new { t = token })).Data()["signIn"]!;
        var replay = await silo.PostAsync(ByToken, new { t = token });

        Assert.Equal(email, session["email"]!.GetValue<string>());
        Assert.False(session["firstSignIn"]!.GetValue<bool>());
        Assert.Equal("UNAUTHENTICATED", replay.ErrorCode());
        Assert.Equal(1, await AccountsAsync(email));
    }

    [Fact]
    public async Task A_wrong_code_is_unauthenticated_and_makes_no_account()
    {
        var email = NewEmail();
        var (code, _) = await RequestAsync(email);
        var wrong = code == "000000" ? "111111" : "000000";

        var response = await silo.PostAsync(ByCode, new { e = email, c = wrong });

        Assert.Equal("UNAUTHENTICATED", response.ErrorCode());
        Assert.Null(response.Body["data"]);
        Assert.Equal(0, await AccountsAsync(email));
    }

    [Fact]
    public async Task After_five_wrong_codes_the_right_one_no_longer_signs_in()
    {
        var email = NewEmail();
        var (code, _) = await RequestAsync(email);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync(ByCode, new { e = email, c = wrong })).ErrorCode());
        }

        var right = await silo.PostAsync(ByCode, new { e = email, c = code });

        Assert.Equal("UNAUTHENTICATED", right.ErrorCode());
        Assert.Equal(0, await AccountsAsync(email));
    }

    [Fact]
    public async Task Another_emails_code_does_not_sign_in()
    {
        var (email, other) = (NewEmail(), NewEmail());
        var (code, _) = await RequestAsync(email);

        var response = await silo.PostAsync(ByCode, new { e = other, c = code });

        Assert.Equal("UNAUTHENTICATED", response.ErrorCode());
        Assert.Equal(0, await AccountsAsync(other));
    }

    [Fact]
    public async Task An_expired_code_or_link_is_unauthenticated_and_makes_no_account()
    {
        var email = NewEmail();
        var (code, token) = await RequestAsync(email);
        await silo.ScalarAsync("WITH x AS (UPDATE customer_sign_ins SET expires_at = now() - interval '1 second' WHERE email = $1 RETURNING 1) SELECT count(*) FROM x", email);

        Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync(ByCode, new { e = email, c = code })).ErrorCode());
        Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync(ByToken, new { t = token })).ErrorCode());
        Assert.Equal(0, await AccountsAsync(email));
    }

    [Fact]
    public async Task Requesting_a_sign_in_answers_the_same_for_a_known_and_an_unknown_email()
    {
        var known = NewEmail();
        await silo.CustomerTokenAsync(known);

        var forKnown = await silo.PostAsync(Request, new { e = known });
        var forUnknown = await silo.PostAsync(Request, new { e = NewEmail() });

        Assert.Equal(forKnown.Body.ToJsonString(), forUnknown.Body.ToJsonString());
        Assert.Equal(forKnown.Status, forUnknown.Status);
    }

    [Fact]
    public async Task A_malformed_email_is_bad_user_input_and_sends_nothing()
    {
        var response = await silo.PostAsync(Request, new { e = "not-an-email" });

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
        Assert.False(silo.Smtp.HasMessage("not-an-email"));
    }
}
