using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
namespace TiBillet.GraphQL.Execution;

/// <summary>Limits of the GraphQL endpoint (section <c>GraphQLApiOptions</c>).</summary>
public sealed class GraphQLApiOptions
{
    /// <summary>Serve the GraphiQL page to browsers at GET /graphql (its assets ship inside the silo).</summary>
    public bool Ide { get; set; } = true;

    /// <summary>Largest request body accepted, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>Deepest selection nesting accepted.</summary>
    public int MaxDepth { get; set; } = 15;

    /// <summary>Highest complexity score accepted (list fields count as several).</summary>
    public int MaxComplexity { get; set; } = 5_000;

    /// <summary>Longest time one operation may run.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an accepted device or partner key is trusted without asking the database again. A revocation is
    /// immediate on the silo that handled it and takes at most this long on the others. Zero disables the cache.
    /// </summary>
    public TimeSpan CredentialCacheTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a WebSocket re-checks its credential and each subscription's rights: a revoked key or role, or an
    /// expired token, closes the socket (4403) within about this time.
    /// </summary>
    public TimeSpan WebSocketRecheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most operations (subscriptions) one WebSocket may run at once; more get an error TOO_MANY_OPERATIONS.</summary>
    public int WebSocketMaxOperations { get; set; } = 10;

    /// <summary>Most messages queued for one WebSocket; a client that reads slower than that is closed (4420).</summary>
    public int WebSocketMaxQueuedMessages { get; set; } = 256;

    /// <summary>Lifetime of staff JWTs issued by <c>login</c>.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often each silo re-reads the JWT signing keys, so a rotation made on another silo is used here too.</summary>
    public TimeSpan SigningKeyRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lifetime of customer JWTs issued by the e-mail sign-in.</summary>
    public TimeSpan CustomerTokenLifetime { get; set; } = TimeSpan.FromDays(7);
}
