namespace TiBillet.Grains.Customers;

/// <summary>The e-mail sign-in of customers (section <c>CustomerSignInOptions</c>).</summary>
public sealed class CustomerSignInOptions
{
    /// <summary>How long a mailed code and link stay good (each is good once).</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Wrong codes tried against an e-mail before its pending codes stop working.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>Where the mailed link points: <c>{LinkBaseUrl}/sign-in?token=…</c>; the page there sends the token to <c>signIn</c>.</summary>
    public string LinkBaseUrl { get; set; } = "http://127.0.0.1:5080";
}
