using System.Runtime.CompilerServices;
using System.Security.Claims;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;
using TiBillet.Grains.Common;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Authorization;

/// <summary>
/// Enforces each root field's <see cref="Policies"/> during validation, so a refused request executes nothing.
/// Mutation and subscription fields without a declared policy are refused: nothing that changes state is open by accident.
/// Query fields without one require a signed-in caller; introspection stays open.
/// While it validates a document the rule notes the document's root fields, so that <see cref="DocumentCache"/> can
/// authorize each later use of the cached document with <see cref="Authorize"/> instead of walking it again.
/// </summary>
public sealed class AuthorizationValidationRule : ValidationRuleBase
{
    private static readonly ConditionalWeakTable<GraphQLDocument, List<RootField>> Seen = [];

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var roots = new List<RootField>();
        Seen.AddOrUpdate(context.Document, roots);
        return new(new MatchingNodeVisitor<GraphQLField>((node, ctx) => Check(node, ctx, roots)));
    }

    /// <summary>The root fields this rule found in <paramref name="document"/>, in document order; null if it never validated it.</summary>
    public static IReadOnlyList<RootField>? RootFieldsOf(GraphQLDocument document) => Seen.TryGetValue(document, out var roots) ? roots : null;

    /// <summary>The errors the rule would report for <paramref name="user"/> on a document with these root fields; null when allowed.</summary>
    public static ExecutionErrors? Authorize(GraphQLDocument document, IReadOnlyList<RootField> roots, ClaimsPrincipal? user)
    {
        ExecutionErrors? errors = null;
        foreach (var root in roots)
        {
            if (Refusal(root, document, user) is { } error)
            {
                (errors ??= []).Add(error);
            }
        }

        return errors;
    }

    private static void Check(GraphQLField node, ValidationContext context, List<RootField> roots)
    {
        var parent = context.TypeInfo.GetParentType();
        var schema = context.Schema;
        var isQuery = ReferenceEquals(parent, schema.Query);
        var isRoot = isQuery || ReferenceEquals(parent, schema.Mutation) || ReferenceEquals(parent, schema.Subscription);
        var field = context.TypeInfo.GetFieldDef();
        if (!isRoot || field is null || field.Name.StartsWith("__", StringComparison.Ordinal))
        {
            return;
        }

        var root = new RootField(node, field.Name, field.GetPolicy() ?? (isQuery ? Policies.Authenticated : null));
        roots.Add(root);
        if (Refusal(root, context.Document, context.User) is { } error)
        {
            context.ReportError(error);
        }
    }

    private static ValidationError? Refusal(RootField root, GraphQLDocument document, ClaimsPrincipal? caller)
    {
        var user = caller ?? new ClaimsPrincipal();
        var authenticated = user.Identity?.IsAuthenticated == true;
        var allowed = root.Policy switch
        {
            Policies.Public => true,
            Policies.Authenticated => authenticated,
            Policies.Staff => user.IsKind(TiBilletClaims.StaffKind),
            Policies.InstanceAdmin => user.IsInstanceAdmin(),
            Policies.Device => user.IsKind(TiBilletClaims.DeviceKind),
            Policies.Partner => user.IsKind(TiBilletClaims.PartnerKind),
            Policies.Customer => user.IsKind(TiBilletClaims.CustomerKind),
            Policies.StaffOrCustomer => user.IsKind(TiBilletClaims.StaffKind) || user.IsKind(TiBilletClaims.CustomerKind),
            _ => false,
        };
        if (allowed)
        {
            return null;
        }

        var (code, message) = authenticated
            ? (ErrorCodes.Forbidden, $"You may not use '{root.Name}'.")
            : (ErrorCodes.Unauthenticated, $"'{root.Name}' needs a signed-in caller.");
        return new ValidationError(document.Source, number: null!, message, root.Node) { Code = code };
    }

    /// <summary>A root field of a document and the policy it needs (null: refused to everyone).</summary>
    public sealed record RootField(GraphQLField Node, string Name, string? Policy);
}
