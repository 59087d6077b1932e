using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DI;
using GraphQLParser.AST;

namespace TiBillet.GraphQL.Common;

/// <summary>
/// Keeps parsed and validated documents by query text, so a till sending the same <c>pay</c> or <c>tap</c> mutation
/// thousands of times is parsed and validated once. What depends on the caller or the request still happens on every
/// request: authorization (from the root fields noted when the document was validated, without walking it again), the
/// GET-only-queries rule, and the variables' and arguments' checks (by <see cref="CachedDocumentValidator"/>, which is
/// told about each document kept).
/// </summary>
public sealed class DocumentCache(CachedDocumentValidator validator) : IConfigureExecution
{
    /// <summary>Distinct documents kept; past this, new ones are simply not cached (clients use a handful).</summary>
    public const int Capacity = 1_000;

    /// <summary>Longest query text cached; larger ones are rare and not worth the memory.</summary>
    public const int MaxQueryLength = 16 * 1024;

    private readonly ConcurrentDictionary<string, Cached> _documents = new(StringComparer.Ordinal);

    // After the execution options are configured (100), so CachedDocumentValidationRules is complete when read here.
    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        var query = options.Document is null ? options.Query : null;
        var cached = false;
        if (query is not null && _documents.TryGetValue(query, out var entry))
        {
            if (AuthorizationValidationRule.Authorize(entry.Document, entry.Roots, options.User) is { } refused)
            {
                return new ExecutionResult { Errors = refused, Executed = false };
            }

            options.Document = entry.Document;
            // The document-only rules passed when it was cached; only the per-request ones run again.
            options.ValidationRules = options.CachedDocumentValidationRules ?? [];
            cached = true;
        }

        var result = await next(options).ConfigureAwait(false);
        if (!cached && query is { Length: <= MaxQueryLength } && result.Executed && result.Document is { } parsed && _documents.Count < Capacity
            && AuthorizationValidationRule.RootFieldsOf(parsed) is { } roots)
        {
            if (_documents.TryAdd(query, new Cached(parsed, roots)))
            {
                validator.Remember(options.Schema!, parsed);
            }
        }

        return result;
    }

    private sealed record Cached(GraphQLDocument Document, IReadOnlyList<AuthorizationValidationRule.RootField> Roots);
}
