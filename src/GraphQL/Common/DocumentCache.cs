using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DI;
using GraphQLParser.AST;

namespace TiBillet.GraphQL.Common;

/// <summary>
/// Keeps parsed and validated documents by query text, so a till sending the same <c>pay</c> or <c>tap</c> mutation
/// thousands of times is parsed and validated once. Rules that depend on the caller or the request (authorization,
/// GET-only-queries) are registered for cached documents too, so they still run on every request.
/// </summary>
public sealed class DocumentCache : IConfigureExecution
{
    /// <summary>Distinct documents kept; past this, new ones are simply not cached (clients use a handful).</summary>
    public const int Capacity = 1_000;

    /// <summary>Longest query text cached; larger ones are rare and not worth the memory.</summary>
    public const int MaxQueryLength = 16 * 1024;

    private readonly ConcurrentDictionary<string, GraphQLDocument> _documents = new(StringComparer.Ordinal);

    // After the execution options are configured (100), so CachedDocumentValidationRules is complete when read here.
    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        var query = options.Document is null ? options.Query : null;
        var cached = false;
        if (query is not null && _documents.TryGetValue(query, out var document))
        {
            options.Document = document;
            // The document-only rules passed when it was cached; only the per-request ones run again.
            options.ValidationRules = options.CachedDocumentValidationRules ?? [];
            cached = true;
        }

        var result = await next(options).ConfigureAwait(false);
        if (!cached && query is { Length: <= MaxQueryLength } && result.Executed && result.Document is { } parsed && _documents.Count < Capacity)
        {
            _documents.TryAdd(query, parsed);
        }

        return result;
    }
}
