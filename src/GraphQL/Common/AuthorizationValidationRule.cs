using System.Security.Claims;
using GraphQL.Validation;
using GraphQLParser.AST;
using TiBillet.Grains.Common;

namespace TiBillet.GraphQL.Common;

/// <summary>
/// Enforces each root field's <see cref="Policies"/> during validation, so a refused request executes nothing.
/// Mutation and subscription fields without a declared policy are refused: nothing that changes state is open by accident.
/// Query fields without one require a signed-in caller; introspection stays open.
/// </summary>
public sealed class AuthorizationValidationRule : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLField>((node, ctx) => Check(node, ctx)));

    private static void Check(GraphQLField node, ValidationContext context)
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

        var policy = field.GetPolicy() ?? (isQuery ? Policies.Authenticated : null);
        var user = context.User ?? new ClaimsPrincipal();
        var authenticated = user.Identity?.IsAuthenticated == true;
        var allowed = policy switch
        {
            Policies.Public => true,
            Policies.Authenticated => authenticated,
            Policies.Staff => user.IsKind(TiBilletClaims.StaffKind),
            Policies.InstanceAdmin => user.IsInstanceAdmin(),
            Policies.Device => user.IsKind(TiBilletClaims.DeviceKind),
            Policies.Partner => user.IsKind(TiBilletClaims.PartnerKind),
            _ => false,
        };
        if (allowed)
        {
            return;
        }

        var (code, message) = authenticated
            ? (ErrorCodes.Forbidden, $"You may not use '{field.Name}'.")
            : (ErrorCodes.Unauthenticated, $"'{field.Name}' needs a signed-in caller.");
        context.ReportError(new ValidationError(context.Document.Source, number: null!, message, node) { Code = code });
    }
}
