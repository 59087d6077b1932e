using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TiBillet.ReaderAgent.Tests.EndToEnd;

/// <summary>
/// Makes "the silo stopped during a tap" happen at a known point: once armed, the next device request runs to its end
/// on the server (money moved, state stored), but its answer is held back until the silo starts stopping, and then the
/// connection is dropped. The agent never sees the result and must retry with the same tap id.
/// </summary>
public sealed class LostAnswerInterceptor : IStartupFilter
{
    private TaskCompletionSource<string>? _armed;

    /// <summary>Arms the interceptor; the task completes with the withheld answer once the server has produced it.</summary>
    public Task<string> ArmAsync()
    {
        var armed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _armed, armed, null) is not null)
        {
            throw new InvalidOperationException("Already armed.");
        }

        return armed.Task;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(InterceptAsync);
        next(app);
    };

    private async Task InterceptAsync(HttpContext http, RequestDelegate next)
    {
        if (!http.Request.Headers.Authorization.ToString().StartsWith("Device ", StringComparison.Ordinal)
            || Interlocked.Exchange(ref _armed, null) is not { } armed)
        {
            await next(http);
            return;
        }

        var original = http.Response.Body;
        using var withheld = new MemoryStream();
        http.Response.Body = withheld;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        armed.TrySetResult(Encoding.UTF8.GetString(withheld.ToArray()));
        var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stopping.Register(() => stopped.TrySetResult()))
        {
            await stopped.Task;
        }

        http.Abort();
    }
}
