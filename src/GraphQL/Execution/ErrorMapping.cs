using GraphQL;
using GraphQL.Execution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime;
using TiBillet.Grains.Common;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Execution;

/// <summary>
/// The one unhandled-exception hook: domain errors keep their code and message; timeouts and unreachable silos or
/// databases become UNAVAILABLE (the client retries with the same idempotency key); anything else becomes INTERNAL with a
/// generic message, logged once here.
/// </summary>
public static partial class ErrorMapping
{
    public static Task HandleAsync(UnhandledExceptionContext context)
    {
        var exception = context.OriginalException;
        context.Exception = exception switch
        {
            DomainException domain => new ExecutionError(domain.Message) { Code = domain.Code },
            TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
                => new ExecutionError("The service is temporarily unavailable; retry with the same idempotency key.") { Code = ErrorCodes.Unavailable },
            GraphQLParser.Exceptions.GraphQLMaxDepthExceededException
                => new ExecutionError("The query is nested too deeply.") { Code = ErrorCodes.QueryTooComplex },
            NpgsqlException { IsTransient: true }
                => new ExecutionError("The database is temporarily unavailable; retry with the same idempotency key.") { Code = ErrorCodes.Unavailable },
            _ => Internal(context, exception),
        };
        return Task.CompletedTask;
    }

    private static ExecutionError Internal(UnhandledExceptionContext context, Exception exception)
    {
        var logger = context.ExecutionOptions.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("TiBillet.GraphQL");
        if (logger is not null)
        {
            LogUnhandled(logger, exception, context.FieldContext?.FieldDefinition.Name ?? "(request)");
        }

        return new ExecutionError("An internal error occurred.") { Code = ErrorCodes.Internal };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in GraphQL field {Field}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string field);
}
