using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TiBillet.GraphQL.Throttling;

/// <summary>
/// Refuses, before anything runs, a request carrying more than <see cref="SignInThrottleOptions.MaxSignInFieldsPerRequest"/>
/// <c>login</c>, <c>signIn</c> and <c>requestSignIn</c> fields: aliases would otherwise pack thousands of guesses into one
/// request. The count depends on the document only, so a cached document has passed it already.
/// </summary>
public sealed class SignInFieldCapRule : ValidationRuleBase
{
    private static readonly HashSet<string> SignInFields = new(StringComparer.Ordinal) { "login", "signIn", "requestSignIn" };

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var options = context.RequestServices!.GetRequiredService<IOptions<SignInThrottleOptions>>().Value;
        var count = 0;
        return new ValueTask<INodeVisitor?>(new MatchingNodeVisitor<GraphQLField>((node, ctx) =>
        {
            if (ReferenceEquals(ctx.TypeInfo.GetParentType(), ctx.Schema.Mutation)
                && SignInFields.Contains(node.Name.StringValue)
                && ++count == options.MaxSignInFieldsPerRequest + 1)
            {
                ctx.ReportError(new RateLimitedValidationError(
                    $"A request may carry at most {options.MaxSignInFieldsPerRequest} login, signIn and requestSignIn fields.",
                    options.PerAddressPeriod / Math.Max(1, options.PerAddressLimit)));
            }
        }));
    }
}
