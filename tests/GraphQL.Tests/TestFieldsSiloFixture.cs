using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.GraphQL.Common;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests;

/// <summary>
/// The real silo plus two test-only root fields: <c>boom</c>, which fails with an unexpected exception (to see INTERNAL),
/// and the subscription <c>countdown</c> (to drive the WebSocket transport). The production schema has neither.
/// </summary>
public sealed class TestFieldsSiloFixture : SiloHostFixture
{
    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IQueryFields, TestQueries>();
        services.AddSingleton<ISubscriptionFields, TestSubscriptions>();
    }

    private sealed class TestQueries : IQueryFields
    {
        public void AddTo(QueryGraphType query) =>
            query.Field<StringGraphType>("boom")
                .RequirePolicy(Policies.Public)
                .Resolve(_ => throw new InvalidOperationException("secret internal detail"));
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
