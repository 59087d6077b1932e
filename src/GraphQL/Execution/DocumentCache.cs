using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DI;
using GraphQLParser.AST;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Execution;

/// <summary>
/// Keeps parsed and validated documents by query text, so a till sending the same <c>pay</c> or <c>tap</c> mutation
/// thousands of times is parsed and validated once. What depends on the caller or the request still happens on every
/// request: authorization (from the root fields noted when the document was validated, without walking it again), the
/// GET-only-queries rule, and the variables' and arguments' checks (by <see cref="CachedDocumentValidator"/>, which is
/// told about each document kept).
/// Documents first sent by anonymous callers are kept apart, in a small pool that makes room by dropping its least
/// used entry: anyone can send endless distinct queries anonymously, and that must not fill the pool the tills and
/// staff (signed-in callers) rely on. A kept document serves every caller, since authorization runs on each request.
/// </summary>
public sealed class DocumentCache(CachedDocumentValidator validator) : IConfigureExecution
{
    /// <summary>Distinct documents kept for signed-in callers; past this, new ones are simply not cached (clients use a handful).</summary>
    public const int Capacity = 1_000;

    /// <summary>Distinct documents kept for anonymous callers; past this, the least used one makes room.</summary>
    public const int AnonymousCapacity = 100;

    /// <summary>Longest query text cached; larger ones are rare and not worth the memory.</summary>
    public const int MaxQueryLength = 16 * 1024;

    private readonly ConcurrentDictionary<string, Cached> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cached> _anonymous = new(StringComparer.Ordinal);
    private readonly Lock _anonymousEviction = new();

    /// <summary>Whether <paramref name="query"/> is kept (for tests and diagnostics).</summary>
    public bool Contains(string query) => _documents.ContainsKey(query) || _anonymous.ContainsKey(query);

    // After the execution options are configured (100), so CachedDocumentValidationRules is complete when read here.
    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        var query = options.Document is null ? options.Query : null;
        var cached = false;
        if (query is not null && (_documents.TryGetValue(query, out var entry) || _anonymous.TryGetValue(query, out entry)))
        {
            entry.Used();
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
        if (!cached && query is { Length: <= MaxQueryLength } && result.Executed && result.Document is { } parsed
            && AuthorizationValidationRule.RootFieldsOf(parsed) is { } roots)
        {
            var signedIn = options.User?.Identity?.IsAuthenticated == true;
            if (signedIn ? _documents.Count < Capacity && _documents.TryAdd(query, new Cached(parsed, roots)) : AddAnonymous(query, new Cached(parsed, roots)))
            {
                validator.Remember(options.Schema!, parsed);
            }
        }

        return result;
    }

    private bool AddAnonymous(string query, Cached cached)
    {
        lock (_anonymousEviction)
        {
            if (_anonymous.Count >= AnonymousCapacity)
            {
                // A scan of at most AnonymousCapacity entries, only when a new anonymous document arrives on a full pool.
                var least = _anonymous.MinBy(e => e.Value.Uses);
                _anonymous.TryRemove(least.Key, out _);
            }

            return _anonymous.TryAdd(query, cached);
        }
    }

    private sealed record Cached(GraphQLDocument Document, IReadOnlyList<AuthorizationValidationRule.RootField> Roots)
    {
        private long _uses;

        public long Uses => Interlocked.Read(ref _uses);

        public void Used() => Interlocked.Increment(ref _uses);
    }
}
