using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests;

/// <summary>
/// The real silo plus test-only root fields: <c>boom</c>, which fails with an unexpected exception (to see INTERNAL),
/// <c>slow</c>, which waits for <see cref="SlowGate"/> (to see in-flight requests finish during shutdown), and the
/// subscription <c>countdown</c> (to drive the WebSocket transport). The production schema has none of them.
/// </summary>
public sealed class TestFieldsSiloFixture : SiloHostFixture
{
    /// <summary>Completed when a <c>slow</c> request has started.</summary>
    public TaskCompletionSource SlowEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Complete it to let <c>slow</c> requests answer.</summary>
    public TaskCompletionSource SlowGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IQueryFields>(new TestQueries(this));
        services.AddSingleton<ISubscriptionFields, TestSubscriptions>();
    }

    private sealed class TestQueries(TestFieldsSiloFixture fixture) : IQueryFields
    {
        public void AddTo(QueryGraphType query)
        {
            query.Field<StringGraphType>("boom")
                .RequirePolicy(Policies.Public)
                .Resolve(_ => throw new InvalidOperationException("secret internal detail"));
            query.Field<StringGraphType>("slow")
                .RequirePolicy(Policies.Public)
                .ResolveAsync(async _ =>
                {
                    fixture.SlowEntered.TrySetResult();
                    await fixture.SlowGate.Task;
                    return "finished";
                });
        }
    }

    private sealed class TestSubscriptions : ISubscriptionFields
    {
        public void AddTo(SubscriptionGraphType subscription) =>
            subscription.Field<IntGraphType>("countdown")
                .Argument<NonNullGraphType<IntGraphType>>("from")
                .RequirePolicy(Policies.Authenticated)
                .ResolveStream(context => Countdown(context.GetArgument<int>("from")));

        private static IObservable<object?> Countdown(int from) =>
            new CountdownObservable(from);

        private sealed class CountdownObservable(int from) : IObservable<object?>
        {
            public IDisposable Subscribe(IObserver<object?> observer)
            {
                for (var i = from; i > 0; i--)
                {
                    observer.OnNext(i);
                }

                observer.OnCompleted();
                return new Nothing();
            }

            private sealed class Nothing : IDisposable
            {
                public void Dispose()
                {
                }
            }
        }
    }
}
