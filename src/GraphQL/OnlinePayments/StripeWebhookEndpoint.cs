using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using TiBillet.Grains.Common;
using TiBillet.Grains.OnlinePayments;

namespace TiBillet.GraphQL.OnlinePayments;

/// <summary>
/// <c>POST /stripe/webhook</c>: Stripe's events about our Checkout Sessions. The signature (<c>Stripe-Signature</c>) is
/// checked by Stripe.net's <see cref="EventUtility.ConstructEvent(string, string, string, long, bool)"/> with the endpoint's
/// secret; a forged, altered or stale event gets 400 and changes nothing. An event already processed (same id) is
/// answered 200 at once. A session's completion goes through its <see cref="ICheckoutGrain"/>, so the webhook and the
/// customer's return complete it once between them. A failure we could not finish gets 503, and Stripe sends the event again.
/// </summary>
public static partial class StripeWebhookEndpoint
{
    public const string Path = "/stripe/webhook";

    /// <summary>Stripe's events are small; anything larger is not one.</summary>
    private const int MaxBodyBytes = 512 * 1024;

    /// <summary>Where Stripe sends the customer's browser after paying (<c>StripeOptions:SuccessUrl</c>).</summary>
    public const string ReturnPath = "/stripe/return";

    public static WebApplication MapStripeWebhook(this WebApplication app)
    {
        app.MapPost(Path, HandleAsync);
        app.MapGet(ReturnPath, ReturnAsync);
        return app;
    }

    /// <summary>
    /// <c>GET /stripe/return?session_id=…</c>: reads the session from Stripe and completes it if paid, then answers its
    /// status as JSON (a front end would redirect instead). 404 for an unknown session or with online payment off.
    /// </summary>
    private static async Task<IResult> ReturnAsync(HttpContext http, OnlineCheckout checkout)
    {
        var id = http.Request.Query["session_id"].ToString();
        try
        {
            var session = await checkout.CompleteFromReturnAsync(id, http.RequestAborted);
            return Results.Json(new { sessionId = session.Id, status = session.Status.ToString() });
        }
        catch (DomainException e) when (e.Code is ErrorCodes.NotFound or ErrorCodes.PaymentsDisabled)
        {
            return Results.Json(new { error = e.Code }, statusCode: StatusCodes.Status404NotFound);
        }
        catch (DomainException e)
        {
            return Results.Json(new { error = e.Code }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IOptions<StripeOptions> options, CheckoutStore store, IGrainFactory grains, ILoggerFactory loggers)
    {
        var stripe = options.Value;
        if (!stripe.Enabled || string.IsNullOrWhiteSpace(stripe.WebhookSecret))
        {
            return Results.Json(new { error = ErrorCodes.PaymentsDisabled }, statusCode: StatusCodes.Status404NotFound);
        }

        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return Results.Json(new { error = ErrorCodes.RequestTooLarge }, statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var logger = loggers.CreateLogger(typeof(StripeWebhookEndpoint));
        string json;
        using (var reader = new StreamReader(http.Request.Body))
        {
            json = await reader.ReadToEndAsync(http.RequestAborted);
        }

        Event stripeEvent;
        try
        {
            // The API version of the event may differ from the library's: we read only fields every version has.
            stripeEvent = EventUtility.ConstructEvent(json, http.Request.Headers["Stripe-Signature"].ToString(), stripe.WebhookSecret,
                (long)stripe.WebhookTolerance.TotalSeconds, throwOnApiVersionMismatch: false);
        }
        catch (StripeException)
        {
            LogRefused(logger);
            return Results.Json(new { error = "BAD_SIGNATURE" }, statusCode: StatusCodes.Status400BadRequest);
        }

        if (await store.EventSeenAsync(stripeEvent.Id, http.RequestAborted))
        {
            return Results.Json(new { received = true, replayed = true });
        }

        string? sessionId = null;
        if (stripeEvent.Data?.Object is Session session && stripeEvent.Type.StartsWith("checkout.session.", StringComparison.Ordinal))
        {
            sessionId = session.Id;
            if (await store.FindAsync(session.Id, http.RequestAborted) is not null)
            {
                try
                {
                    await grains.GetGrain<ICheckoutGrain>(session.Id).ApplyAsync(StripeGateway.View(session),
                        paymentFailed: stripeEvent.Type == "checkout.session.async_payment_failed", http.RequestAborted);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e, stripeEvent.Id);
                    return Results.Json(new { error = ErrorCodes.Unavailable }, statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            }
        }

        await store.RecordEventAsync(stripeEvent.Id, stripeEvent.Type, sessionId, http.RequestAborted);
        return Results.Json(new { received = true });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Stripe webhook was refused: its signature does not match")]
    private static partial void LogRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe event {EventId} could not be processed; Stripe will send it again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string eventId);
}
