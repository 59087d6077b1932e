using GraphQL.Validation;
using GraphQLParser.AST;
using TiBillet.Grains.Common;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Execution;

/// <summary>HTTP GET may only read: mutations and subscriptions over GET are refused (GET requests may be cached or replayed).</summary>
public sealed class QueriesOnlyValidationRule : ValidationRuleBase
{
    public static readonly QueriesOnlyValidationRule Instance = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLOperationDefinition>((op, ctx) =>
        {
            if (op.Operation != OperationType.Query && ReferenceEquals(op, ctx.Operation))
            {
                ctx.ReportError(new ValidationError(ctx.Document.Source, number: null!, "Only queries may be sent with GET; use POST.", op) { Code = ErrorCodes.BadRequest });
            }
        }));
}
