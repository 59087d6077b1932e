using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Customers;

public sealed class EmailThrottleApiTests(EmailThrottleFixture silo) : IClassFixture<EmailThrottleFixture>
{
    private const string Request = "mutation($e: String!) { requestSignIn(input: {email: $e}) }";
    private const string Login = "mutation($e: String!, $s: String!) { login(email: $e, secret: $s) { token } }";

    private static string NewEmail() => $"customer-{Guid.NewGuid():N}@test.localhost";

    private static int RetryAfter(GraphQLResponse response) => response.Body["errors"]![0]!["extensions"]!["retryAfter"]!.GetValue<int>();

    [Fact]
    public async Task Sign_ins_for_one_email_are_limited_and_another_email_still_signs_in()
    {
        var email = NewEmail();
        for (var i = 0; i < 3; i++)
        {
            (await silo.PostAsync(Request, new { e = email })).Data();
            await silo.Smtp.NextMessageAsync(email, TestContext.Current.CancellationToken);
        }

        var limited = await silo.PostAsync(Request, new { e = email.ToUpperInvariant() });
        var other = NewEmail();
        (await silo.PostAsync(Request, new { e = other })).Data();
        var (code, _) = TestSmtpServer.SignInSecrets(await silo.Smtp.NextMessageAsync(other, TestContext.Current.CancellationToken));
        var session = await silo.PostAsync("mutation($e: String!, $c: String!) { signIn(input: {email: $e, code: $c}) { email } }", new { e = other, c = code });

        Assert.Equal("RATE_LIMITED", limited.ErrorCode());
        Assert.Null(limited.Body["data"]);
        Assert.InRange(RetryAfter(limited), 1, 20 * 60);
        Assert.False(silo.Smtp.HasMessage(email));
        Assert.Equal(3, await silo.ScalarAsync("SELECT count(*) FROM customer_sign_ins WHERE email = $1", email));
        Assert.Equal(other, session.Data()["signIn"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task Failed_logins_for_one_email_are_limited_even_with_the_right_secret_then_other_emails_log_in()
    {
        var (_, email, _) = await silo.UserAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync(Login, new { e = email, s = "wrong-secret-0123456789" })).ErrorCode());
        }

        var limited = await silo.PostAsync(Login, new { e = email, s = "user-secret-0123456789" });

        Assert.Equal("RATE_LIMITED", limited.ErrorCode());
        Assert.Null(limited.Body["data"]);
        Assert.InRange(RetryAfter(limited), 1, 20 * 60);
        Assert.StartsWith("Bearer ", await silo.Client.BearerAsync(SiloHostFixture.AdminEmail, SiloHostFixture.AdminSecret));
    }

    [Fact]
    public async Task Successful_logins_spend_nothing()
    {
        var (_, email, _) = await silo.UserAsync();

        for (var i = 0; i < 5; i++)
        {
            Assert.StartsWith("Bearer ", await silo.Client.BearerAsync(email, "user-secret-0123456789"));
        }
    }

    [Fact]
    public async Task A_request_carrying_too_many_sign_in_fields_is_refused_whole_before_anything_runs()
    {
        var (_, email, _) = await silo.UserAsync();
        var victim = NewEmail();
        var query = "mutation { a: login(email: \"" + email + "\", secret: \"guess-0000000001\") { token } " +
                    "b: login(email: \"" + email + "\", secret: \"guess-0000000002\") { token } " +
                    "c: requestSignIn(input: {email: \"" + victim + "\"}) }";
        using var request = new HttpRequestMessage(HttpMethod.Post, silo.GraphQLUri)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"),
        };

        using var response = await silo.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("RATE_LIMITED", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.True(body["errors"]![0]!["extensions"]!["retryAfter"]!.GetValue<int>() >= 1);
        Assert.Null(body["data"]);
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM customer_sign_ins WHERE email = $1", victim));
        // Nothing ran: none of the guesses counted as a failure, so three wrong secrets still answer UNAUTHENTICATED.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync(Login, new { e = email, s = "wrong-secret-0123456789" })).ErrorCode());
        }
    }

    [Fact]
    public async Task Two_sign_in_fields_in_one_request_are_allowed()
    {
        var (first, second) = (NewEmail(), NewEmail());

        var response = await silo.PostAsync("mutation($a: String!, $b: String!) { a: requestSignIn(input: {email: $a}) b: requestSignIn(input: {email: $b}) }",
            new { a = first, b = second });

        Assert.True(response.Data()["a"]!.GetValue<bool>());
        Assert.True(response.Data()["b"]!.GetValue<bool>());
    }
}

public sealed class AddressThrottleApiTests(AddressThrottleFixture silo) : IClassFixture<AddressThrottleFixture>
{
    private static string NewEmail() => $"customer-{Guid.NewGuid():N}@test.localhost";

    [Fact]
    public async Task Sign_ins_from_one_address_are_limited_across_emails()
    {
        for (var i = 0; i < 4; i++)
        {
            (await silo.PostAsync("mutation($e: String!) { requestSignIn(input: {email: $e}) }", new { e = NewEmail() })).Data();
        }

        var fresh = NewEmail();
        var limited = await silo.PostAsync("mutation($e: String!) { requestSignIn(input: {email: $e}) }", new { e = fresh });
        var byToken = await silo.PostAsync("mutation { signIn(input: {token: \"anything\"}) { token } }");

        Assert.Equal("RATE_LIMITED", limited.ErrorCode());
        Assert.True(limited.Body["errors"]![0]!["extensions"]!["retryAfter"]!.GetValue<int>() >= 1);
        Assert.Equal("RATE_LIMITED", byToken.ErrorCode());
        Assert.Equal(0, await silo.ScalarAsync("SELECT count(*) FROM customer_sign_ins WHERE email = $1", fresh));
    }

    [Fact]
    public async Task Failed_logins_from_one_address_are_limited_across_emails()
    {
        var (_, email, _) = await silo.UserAsync();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync("mutation($e: String!) { login(email: $e, secret: \"wrong-secret-0123456789\") { token } }",
                new { e = NewEmail() })).ErrorCode());
        }

        var limited = await silo.PostAsync("mutation($e: String!) { login(email: $e, secret: \"user-secret-0123456789\") { token } }", new { e = email });

        Assert.Equal("RATE_LIMITED", limited.ErrorCode());
        Assert.Null(limited.Body["data"]);
    }
}
