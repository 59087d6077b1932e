using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Customers;

/// <summary>A silo with no SMTP server, whose private-PostgreSQL folder setting points into a fresh temporary folder.</summary>
public sealed class NoSmtpFixture : SiloHostFixture
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "tibillet-outbox-" + Guid.NewGuid().ToString("N"));

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("MailOptions:SmtpHost", ""),
        new("LocalPostgresOptions:DataDirectory", Path.Combine(Root, "postgres")),
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

public sealed class OutboxMailApiTests(NoSmtpFixture silo) : IClassFixture<NoSmtpFixture>
{
    [Fact]
    public async Task Without_smtp_the_sign_in_mail_lands_in_the_outbox_beside_the_data_folder_and_its_code_signs_in()
    {
        var email = $"customer-{Guid.NewGuid():N}@test.localhost";

        (await silo.PostAsync("mutation($e: String!) { requestSignIn(input: {email: $e}) }", new { e = email })).Data();

        var file = Assert.Single(Directory.GetFiles(Path.Combine(silo.Root, "outbox"), "*.eml"));
        var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
        Assert.Contains("To: " + email, text, StringComparison.Ordinal);
        var code = System.Text.RegularExpressions.Regex.Match(text, @"code: (\d{6})").Groups[1].Value;
        Assert.False(silo.Smtp.HasMessage(email));
        var session = await silo.PostAsync("mutation($e: String!, $c: String!) { signIn(input: {email: $e, code: $c}) { email } }", new { e = email, c = code });
        Assert.Equal(email, session.Data()["signIn"]!["email"]!.GetValue<string>());
    }
}
