namespace TiBillet.GraphQL.Common;

/// <summary>Limits of the GraphQL endpoint (section <c>GraphQLApiOptions</c>).</summary>
public sealed class GraphQLApiOptions
{
    /// <summary>Largest request body accepted, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>Deepest selection nesting accepted.</summary>
    public int MaxDepth { get; set; } = 15;

    /// <summary>Highest complexity score accepted (list fields count as several).</summary>
    public int MaxComplexity { get; set; } = 5_000;

    /// <summary>Longest time one operation may run.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lifetime of staff JWTs issued by <c>login</c>.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
