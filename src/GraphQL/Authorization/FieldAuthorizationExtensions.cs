using GraphQL.Builders;
using GraphQL.Types;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Authorization;

/// <summary>Declares the policy of a root field, enforced by <see cref="AuthorizationValidationRule"/> before anything runs.</summary>
public static class FieldAuthorizationExtensions
{
    public static FieldBuilder<TSource, TReturn> RequirePolicy<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, string policy)
    {
        field.FieldType.Metadata[Policies.MetadataKey] = policy;
        return field;
    }

    internal static string? GetPolicy(this FieldType field) => field.GetMetadata<string?>(Policies.MetadataKey);
}
