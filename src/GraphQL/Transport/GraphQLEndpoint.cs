using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Common;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Transport;

/// <summary>
/// GraphQL over HTTP: POST application/json and GET for queries, plus the graphql-transport-ws WebSocket.
/// Request-level problems (bad JSON, too large, wrong method) are answered with a GraphQL error body and a 4xx status;
/// anything that reaches execution is answered 200 with <c>data</c>/<c>errors</c>. Never a 500.
/// </summary>
public sealed class GraphQLEndpoint(
    IDocumentExecuter<TiBilletSchema> executer,
    IGraphQLTextSerializer serializer,
    GraphQLWebSocketHandler webSockets,
    IOptions<GraphQLApiOptions> options)
{
    private static readonly IValidationRule[] GetRules = [.. DocumentValidator.CoreRules, QueriesOnlyValidationRule.Instance];

    public async Task HandleAsync(HttpContext http)
    {
        if (http.WebSockets.IsWebSocketRequest)
        {
            await webSockets.HandleAsync(http);
            return;
        }

        GraphQLRequest? request;
        var isGet = HttpMethods.IsGet(http.Request.Method);
        if (isGet)
        {
            request = ReadQueryString(http.Request.Query);
        }
        else if (HttpMethods.IsPost(http.Request.Method))
        {
            if (!IsJson(http.Request.ContentType))
            {
                await WriteErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, ErrorCodes.BadRequest, "Send the request as application/json.");
                return;
            }

            var body = await ReadLimitedAsync(http);
            if (body is not { } read)
            {
                await WriteErrorAsync(http, StatusCodes.Status413PayloadTooLarge, ErrorCodes.RequestTooLarge,
                    $"The request body exceeds {options.Value.MaxRequestBytes} bytes.");
                return;
            }

            try
            {
                request = await DeserializeAsync(read.Buffer, read.Length);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(read.Buffer);
            }
        }
        else
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteErrorAsync(http, StatusCodes.Status405MethodNotAllowed, ErrorCodes.BadRequest, "Use GET or POST.");
            return;
        }

        if (request is null || string.IsNullOrWhiteSpace(request.Query))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, ErrorCodes.BadRequest,
                "The body must be a JSON object with a 'query' string, and optional 'variables' and 'operationName'.");
            return;
        }

        var result = await ExecuteAsync(http, request, isGet ? GetRules : null);
        http.Response.StatusCode = StatusCodes.Status200OK;
        if (!result.Executed && result.Errors?.OfType<Throttling.IRetryAfterError>().FirstOrDefault() is { } limited)
        {
            // Refused as a whole before anything ran: say so at the HTTP level too.
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = limited.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    /// <summary>Runs one operation for <paramref name="http"/>'s caller (used by HTTP and WebSocket alike).</summary>
    internal Task<ExecutionResult> ExecuteAsync(HttpContext http, GraphQLRequest request, IEnumerable<IValidationRule>? rules = null, IDictionary<string, object?>? userContext = null) =>
        executer.ExecuteAsync(new ExecutionOptions
        {
            UserContext = userContext ?? new Dictionary<string, object?>(),
            Query = request.Query,
            Variables = request.Variables,
            Extensions = request.Extensions,
            OperationName = request.OperationName,
            RequestServices = http.RequestServices,
            User = http.User,
            CancellationToken = http.RequestAborted,
            ValidationRules = rules,
            // A document cached from a POST must still be refused as a mutation over GET.
            CachedDocumentValidationRules = rules is null ? null : [QueriesOnlyValidationRule.Instance],
        });

    private async Task<GraphQLRequest?> DeserializeAsync(byte[] body, int length)
    {
        try
        {
            // Straight from the UTF-8 bytes (in memory, so it completes at once), without making a string of them first.
            using var stream = new MemoryStream(body, 0, length, writable: false);
            return await serializer.ReadAsync<GraphQLRequest>(stream);
        }
        catch (Exception e) when (e is JsonException or global::GraphQL.Execution.InvalidOperationError or FormatException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    private GraphQLRequest? ReadQueryString(IQueryCollection query)
    {
        try
        {
            var variables = query["variables"].ToString();
            var extensions = query["extensions"].ToString();
            return new GraphQLRequest
            {
                Query = query["query"].ToString(),
                OperationName = query["operationName"].ToString() is { Length: > 0 } name ? name : null,
                Variables = variables.Length > 0 ? serializer.Deserialize<Inputs>(variables) : null,
                Extensions = extensions.Length > 0 ? serializer.Deserialize<Inputs>(extensions) : null,
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The body in a pooled buffer (the caller returns it), or null past the size limit.</summary>
    private async Task<(byte[] Buffer, int Length)?> ReadLimitedAsync(HttpContext http)
    {
        var limit = options.Value.MaxRequestBytes;
        if (http.Request.ContentLength > limit)
        {
            return null;
        }

        var pool = System.Buffers.ArrayPool<byte>.Shared;
        var buffer = pool.Rent((int)Math.Clamp(http.Request.ContentLength ?? 4096, 1, limit) + 1);
        var length = 0;
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted)) > 0)
            {
                length += read;
                if (length > limit)
                {
                    pool.Return(buffer);
                    return null;
                }

                if (length == buffer.Length)
                {
                    var larger = pool.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    pool.Return(buffer);
                    buffer = larger;
                }
            }
        }
        catch
        {
            pool.Return(buffer);
            throw;
        }

        return (buffer, length);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                                    || contentType.StartsWith("application/graphql-response+json", StringComparison.OrdinalIgnoreCase));

    private async Task WriteErrorAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        var result = new ExecutionResult { Executed = false, Errors = [new ExecutionError(message) { Code = code }] };
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}
