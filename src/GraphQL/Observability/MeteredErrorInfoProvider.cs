using GraphQL;
using GraphQL.Execution;

namespace TiBillet.GraphQL.Observability;

/// <summary>
/// Every error a client receives passes here once, as the answer is written (HTTP and WebSocket, request-level refusals
/// and field errors alike): the one place that sees them all, so the errors-by-code count is complete.
/// </summary>
public sealed class MeteredErrorInfoProvider(ApiMetrics metrics, IErrorInfoProvider inner) : IErrorInfoProvider
{
    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        metrics.RecordError(executionError.Code);
        return inner.GetInfo(executionError);
    }
}
