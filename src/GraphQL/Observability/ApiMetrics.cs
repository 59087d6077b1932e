using System.Diagnostics;
using System.Diagnostics.Metrics;
using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Root;

namespace TiBillet.GraphQL.Observability;

/// <summary>
/// The API's own meter ("TiBillet.Api"): sales, top-ups and taps by outcome, and every error answered by its code.
/// Label values are the API's own enum names (APPROVED, INSUFFICIENT_FUNDS, …), so a dashboard reads like the schema.
/// </summary>
public sealed class ApiMetrics
{
    public const string MeterName = "TiBillet.Api";

    private readonly Counter<long> _sales;
    private readonly Counter<long> _topUps;
    private readonly Counter<long> _taps;
    private readonly Counter<long> _errors;

    public ApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _sales = meter.CreateCounter<long>("tibillet.api.sales", description: "Sales answered, by channel (counter: pay; till: an approved tap), venue and outcome.");
        _topUps = meter.CreateCounter<long>("tibillet.api.topups", description: "Top-ups answered, by channel (counter: refill; till: a TOPPED_UP tap), venue and outcome.");
        _taps = meter.CreateCounter<long>("tibillet.api.taps", description: "Card taps answered, by venue and outcome.");
        _errors = meter.CreateCounter<long>("tibillet.api.errors", description: "GraphQL errors answered, by extensions.code.");
    }

    /// <summary>Wraps the money fields of the mutation root so each answer is counted (the resolvers stay unaware).</summary>
    internal void Instrument(MutationGraphType mutation)
    {
        foreach (var field in mutation.Fields)
        {
            switch (field.Name)
            {
                case "pay":
                    field.ApplyMiddleware(next => context => MeasureAsync(context, next, "tibillet.pay", (c, r) => RecordSale(c, r)));
                    break;
                case "refill":
                    field.ApplyMiddleware(next => context => MeasureAsync(context, next, "tibillet.refill", (c, r) => RecordTopUp(c, r)));
                    break;
                case "tap":
                    field.ApplyMiddleware(next => context => MeasureAsync(context, next, "tibillet.tap", (_, r) => RecordTap(r)));
                    break;
            }
        }
    }

    /// <summary>Counts one error as it is written to a client (HTTP or WebSocket, request-level or field-level).</summary>
    public void RecordError(string? code) => _errors.Add(1, new KeyValuePair<string, object?>("code", code ?? ErrorCodes.Internal));

    private async ValueTask<object?> MeasureAsync(IResolveFieldContext context, global::GraphQL.Instrumentation.FieldMiddlewareDelegate next,
        string span, Action<IResolveFieldContext, object?> record)
    {
        // The span joins the HTTP request's trace; Orleans' own spans (grain calls) nest under it when tracing is on.
        using var activity = TiBilletTelemetry.ActivitySource.StartActivity(span);
        if (activity is not null && context.HasArgument("venueId"))
        {
            activity.SetTag("tibillet.venue", context.GetArgument<string?>("venueId"));
        }

        try
        {
            var result = await next(context);
            record(context, result);
            return result;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e is DomainException d ? d.Code : "exception");
            record(context, null);
            throw;
        }
    }

    private void RecordSale(IResolveFieldContext context, object? result)
    {
        var venue = context.GetArgument<string?>("venueId");
        _sales.Add(1, Channel("counter"), Venue(venue), Outcome(result is PaymentResult p ? Decided(p.Approved, p.Reason) : "ERROR"));
    }

    private void RecordTopUp(IResolveFieldContext context, object? result)
    {
        var venue = context.GetArgument<string?>("venueId");
        _topUps.Add(1, Channel("counter"), Venue(venue), Outcome(result is MovementResult m ? Decided(m.Approved, m.Reason) : "ERROR"));
    }

    private void RecordTap(object? result)
    {
        if (result is not TapResult tap)
        {
            _taps.Add(1, Venue(null), Outcome("ERROR"));
            return;
        }

        var venue = Venue(tap.PointOfSale.Venue.Value);
        _taps.Add(1, venue, Outcome(tap.Outcome.ToString().ToConstantCase()));
        switch (tap.Outcome)
        {
            case TapOutcome.Approved:
                _sales.Add(1, Channel("till"), venue, Outcome("APPROVED"));
                break;
            case TapOutcome.ToppedUp:
                _topUps.Add(1, Channel("till"), venue, Outcome("APPROVED"));
                break;
        }
    }

    private static string Decided(bool approved, DeclineReason reason) => approved ? "APPROVED" : reason.ToString().ToConstantCase();

    private static KeyValuePair<string, object?> Channel(string channel) => new("channel", channel);

    private static KeyValuePair<string, object?> Venue(string? venue) => new("venue", venue ?? "");

    private static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);
}
