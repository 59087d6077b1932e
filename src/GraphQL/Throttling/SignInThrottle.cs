using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace TiBillet.GraphQL.Throttling;

/// <summary>
/// Rate limits on signing in, one token bucket per e-mail and per client address (System.Threading.RateLimiting's
/// partitioned limiters; idle full buckets are dropped by the limiter itself). Customers' <c>requestSignIn</c> and
/// <c>signIn</c> spend a token on every call; staff <c>login</c> spends one only when it fails, and is refused once its
/// failures' bucket is empty. Refusals throw <see cref="RateLimitedError"/>. Per silo: behind several silos the limits add up.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _signInsPerEmail;
    private readonly PartitionedRateLimiter<string> _signInsPerAddress;
    private readonly PartitionedRateLimiter<string> _failedLoginsPerEmail;
    private readonly PartitionedRateLimiter<string> _failedLoginsPerAddress;
    private readonly IHttpContextAccessor _http;
    private readonly TimeSpan _failedLoginEmailRefill;
    private readonly TimeSpan _failedLoginAddressRefill;

    public SignInThrottle(IOptions<SignInThrottleOptions> options, IHttpContextAccessor http)
    {
        var o = options.Value;
        _signInsPerEmail = Buckets(o.PerEmailLimit, o.PerEmailPeriod);
        _signInsPerAddress = Buckets(o.PerAddressLimit, o.PerAddressPeriod);
        _failedLoginsPerEmail = Buckets(o.FailedLoginsPerEmail, o.FailedLoginPeriod);
        _failedLoginsPerAddress = Buckets(o.FailedLoginsPerAddress, o.FailedLoginPeriod);
        _http = http;
        _failedLoginEmailRefill = o.FailedLoginPeriod / o.FailedLoginsPerEmail;
        _failedLoginAddressRefill = o.FailedLoginPeriod / o.FailedLoginsPerAddress;
    }

    /// <summary>
    /// Spends one sign-in token of the caller's address and, when given, of the e-mail; RATE_LIMITED when either is out.
    /// (A link's token names no e-mail and cannot be guessed: only its address counts.)
    /// </summary>
    public void SpendSignIn(string? email)
    {
        Spend(_signInsPerAddress, ClientAddress(), 1);
        if (email is not null)
        {
            Spend(_signInsPerEmail, Normalize(email), 1);
        }
    }

    /// <summary>Before checking a staff secret: RATE_LIMITED when the address or the e-mail has no failures left.</summary>
    public void CheckLogin(string email)
    {
        Check(_failedLoginsPerAddress, ClientAddress(), _failedLoginAddressRefill);
        Check(_failedLoginsPerEmail, Normalize(email), _failedLoginEmailRefill);
    }

    /// <summary>After a wrong staff secret: one failure less for the address and the e-mail.</summary>
    public void LoginFailed(string email)
    {
        _failedLoginsPerAddress.AttemptAcquire(ClientAddress(), 1).Dispose();
        _failedLoginsPerEmail.AttemptAcquire(Normalize(email), 1).Dispose();
    }

    public void Dispose()
    {
        _signInsPerEmail.Dispose();
        _signInsPerAddress.Dispose();
        _failedLoginsPerEmail.Dispose();
        _failedLoginsPerAddress.Dispose();
    }

    /// <summary>
    /// The caller's address as a partition key. An IPv6 client usually holds a whole /64, so that is what is counted.
    /// Behind a reverse proxy this is the proxy's address unless the host applies forwarded headers.
    /// </summary>
    private string ClientAddress()
    {
        var address = _http.HttpContext?.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }

        return address.ToString();
    }

    // Unparsable e-mails still share one bucket per spelling, so junk cannot dodge the limit.
    private static string Normalize(string email) => email.Trim().ToLowerInvariant();

    private static void Spend(PartitionedRateLimiter<string> limiter, string key, int permits)
    {
        using var lease = limiter.AttemptAcquire(key, permits);
        if (!lease.IsAcquired)
        {
            throw new RateLimitedError(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>
    /// Refuses when the bucket holds less than one whole token, spending nothing. (A zero-permit lease would not do: the
    /// bucket refills continuously, so it holds a fraction of a token right after being emptied.) The wait is at most one
    /// token's refill time.
    /// </summary>
    private static void Check(PartitionedRateLimiter<string> limiter, string key, TimeSpan refill)
    {
        if (limiter.GetStatistics(key) is { CurrentAvailablePermits: < 1 })
        {
            throw new RateLimitedError(refill);
        }
    }

    private static PartitionedRateLimiter<string> Buckets(int limit, TimeSpan period) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = period / limit,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
