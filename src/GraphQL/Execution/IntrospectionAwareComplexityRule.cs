using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace TiBillet.GraphQL.Execution;

/// <summary>
/// Depth and complexity limits with two budgets. The root fields <c>__schema</c> and <c>__type</c> are scored on their
/// own against a larger budget: the introspection query every GraphQL tool sends (graphql-js's
/// <c>getIntrospectionQuery()</c>) nests type references 7 to 9 levels deep and scores several thousand, past what an
/// ordinary query may. Everything else in the operation keeps the ordinary budget (<see cref="GraphQLApiOptions"/>).
/// Introspection stays bounded: it is answered from memory, but a deep or widely aliased one is still refused.
/// </summary>
public sealed class IntrospectionAwareComplexityRule(IOptions<ComplexityOptions> ordinary) : ValidationRuleBase
{
    /// <summary>Deepest introspection selection (the standard query needs 12, with 9-level type references 14).</summary>
    public const int IntrospectionMaxDepth = 20;

    /// <summary>
    /// Introspection complexity budget, with lists counted once (their length is the schema's, not the data's): every
    /// field selected, fragments expanded. The standard query scores about 9,100 on this schema, with 9-level type
    /// references about 11,100; the same query under three aliases is refused.
    /// </summary>
    public const int IntrospectionMaxComplexity = 50_000;

    private readonly Budget _ordinary = new(ordinary.Value);

    private readonly Budget _introspection = new(new ComplexityOptions
    {
        MaxDepth = IntrospectionMaxDepth,
        MaxComplexity = IntrospectionMaxComplexity,
        DefaultScalarImpact = ordinary.Value.DefaultScalarImpact,
        DefaultObjectImpact = ordinary.Value.DefaultObjectImpact,
        DefaultListImpactMultiplier = 1,
    });

    public override async ValueTask<INodeVisitor?> GetPostNodeVisitorAsync(ValidationContext context)
    {
        // As GraphQL.NET's rule: only a document that passed every other rule is scored (no fragment cycles, known fields).
        if (context.HasErrors || context.Operation is not { } operation)
        {
            return null;
        }

        var selections = operation.SelectionSet.Selections;
        if (!selections.Any(IsIntrospection))
        {
            await _ordinary.CheckAsync(context, operation).ConfigureAwait(false);
            return null;
        }

        // Each part is scored as an operation of its own (same fields and fragments, so arguments and directives resolve).
        await _ordinary.CheckAsync(context, Part(operation, selections.Where(s => !IsIntrospection(s)))).ConfigureAwait(false);
        if (!context.HasErrors)
        {
            await _introspection.CheckAsync(context, Part(operation, selections.Where(IsIntrospection))).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>Only root fields count: <c>__schema</c> and <c>__type</c> exist nowhere else.</summary>
    private static bool IsIntrospection(ASTNode selection) =>
        selection is GraphQLField { Name.Value: var name } && (name == "__schema" || name == "__type");

    private static GraphQLOperationDefinition Part(GraphQLOperationDefinition operation, IEnumerable<ASTNode> selections) =>
        new(new GraphQLSelectionSet([.. selections]))
        {
            Operation = operation.Operation,
            Name = operation.Name,
            Variables = operation.Variables,
            Directives = operation.Directives,
        };

    /// <summary>GraphQL.NET's scoring and limits with one set of options, run on a given operation.</summary>
    private sealed class Budget(ComplexityOptions options) : ComplexityValidationRule(options)
    {
        public async Task CheckAsync(ValidationContext context, GraphQLOperationDefinition operation)
        {
            // The scoring visits context.Operation: point it at the part for the duration, then put the request's back.
            var requested = context.Operation;
            context.Operation = operation;
            try
            {
                var (complexity, depth) = await CalculateComplexityAsync(context).ConfigureAwait(false);
                await ValidateComplexityAsync(context, complexity, depth).ConfigureAwait(false);
            }
            finally
            {
                context.Operation = requested;
            }
        }
    }
}
