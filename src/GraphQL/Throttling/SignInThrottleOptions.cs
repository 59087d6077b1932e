namespace TiBillet.GraphQL.Throttling;

/// <summary>
/// Limits on sign-in (section <c>SignInThrottleOptions</c>). Each limit is a token bucket: <c>…Limit</c> attempts at once,
/// earned back evenly over <c>…Period</c>. Buckets are kept in memory per silo.
/// </summary>
public sealed class SignInThrottleOptions
{
    /// <summary><c>requestSignIn</c> and <c>signIn</c> calls per e-mail.</summary>
    public int PerEmailLimit { get; set; } = 5;

    public TimeSpan PerEmailPeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary><c>requestSignIn</c> and <c>signIn</c> calls per client address.</summary>
    public int PerAddressLimit { get; set; } = 30;

    public TimeSpan PerAddressPeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed staff <c>login</c>s per e-mail; past it, <c>login</c> for that e-mail is refused without checking the secret.</summary>
    public int FailedLoginsPerEmail { get; set; } = 5;

    /// <summary>Failed staff <c>login</c>s per client address.</summary>
    public int FailedLoginsPerAddress { get; set; } = 20;

    public TimeSpan FailedLoginPeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Most <c>login</c>, <c>signIn</c> and <c>requestSignIn</c> fields one request may carry (aliases included).</summary>
    public int MaxSignInFieldsPerRequest { get; set; } = 2;
}
