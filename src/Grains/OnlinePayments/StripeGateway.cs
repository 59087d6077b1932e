using System.Net;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.OnlinePayments;

/// <summary>What a Checkout Session charges: one line, in cents, with our own references in its metadata.</summary>
public sealed record CheckoutCharge(string Label, long Amount, EmailAddress Customer, CheckoutKind Kind, string Reference);

/// <summary>
/// The calls we make to Stripe, through Stripe.net's <see cref="StripeClient"/> pointed at <see cref="StripeOptions.ApiBase"/>.
/// Every POST carries our idempotency key, so a retry after a lost answer returns Stripe's first object. Stripe's own
/// refusals become PAYMENT_PROVIDER_ERROR; a network failure or a Stripe 5xx becomes UNAVAILABLE (retry with the same key).
/// Thread-safe; one per silo.
/// </summary>
public sealed class StripeGateway
{
    private readonly StripeOptions _options;
    private readonly StripeClient? _client;

    public StripeGateway(IOptions<StripeOptions> options)
    {
        _options = options.Value;
        _client = _options.Enabled ? new StripeClient(new StripeClientOptions { ApiKey = _options.SecretKey, ApiBase = _options.ApiBase.TrimEnd('/') }) : null;
    }

    public bool Enabled => _client is not null;

    public string Currency => _options.Currency;

    /// <summary>PAYMENTS_DISABLED unless a Stripe key is configured.</summary>
    public StripeClient RequireClient() =>
        _client ?? throw new DomainException(ErrorCodes.PaymentsDisabled, "Online payment is not configured on this instance.");

    /// <summary>Creates a Checkout Session; on <paramref name="account"/> (a direct charge on a connected account) or the platform's.</summary>
    public async Task<StripeSessionView> CreateSessionAsync(CheckoutCharge charge, string? account, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = _options.SuccessUrl,
            CancelUrl = _options.CancelUrl,
            CustomerEmail = charge.Customer.Value,
            ClientReferenceId = charge.Reference,
            Metadata = new Dictionary<string, string> { ["tibillet_kind"] = charge.Kind.ToString(), ["tibillet_reference"] = charge.Reference },
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = _options.Currency,
                        UnitAmount = charge.Amount,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = charge.Label },
                    },
                },
            ],
        };
        var session = await CallAsync(() => new SessionService(RequireClient()).CreateAsync(options, Request(account, idempotencyKey), cancellationToken));
        return View(session);
    }

    /// <summary>Reads a session back from Stripe (the return URL's check), on the account it was created on.</summary>
    public async Task<StripeSessionView> GetSessionAsync(string id, string? account, CancellationToken cancellationToken = default) =>
        View(await CallAsync(() => new SessionService(RequireClient()).GetAsync(id, null, Request(account, null), cancellationToken)));

    /// <summary>Refunds part of a payment; the same key twice makes one refund. Returns Stripe's refund id.</summary>
    public async Task<string> RefundAsync(string paymentIntent, long amount, string? account, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var options = new RefundCreateOptions { PaymentIntent = paymentIntent, Amount = amount };
        var refund = await CallAsync(() => new RefundService(RequireClient()).CreateAsync(options, Request(account, idempotencyKey), cancellationToken));
        return refund.Id;
    }

    /// <summary>A session as Stripe.net parsed it (from an API answer or an event's payload), in our own shape.</summary>
    public static StripeSessionView View(Session session) =>
        new(session.Id, session.Status, session.PaymentStatus, session.PaymentIntentId, session.AmountTotal, session.Url);

    private static RequestOptions Request(string? account, string? idempotencyKey) =>
        new() { StripeAccount = account, IdempotencyKey = idempotencyKey };

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StripeException e) when (e.HttpStatusCode is 0 || (int)e.HttpStatusCode >= 500 || e.HttpStatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new DomainException(ErrorCodes.Unavailable, "The payment provider is unreachable; retry with the same key.");
        }
        catch (StripeException)
        {
            throw new DomainException(ErrorCodes.PaymentProviderError, "The payment provider refused the request.");
        }
        catch (HttpRequestException)
        {
            throw new DomainException(ErrorCodes.Unavailable, "The payment provider is unreachable; retry with the same key.");
        }
    }
}
