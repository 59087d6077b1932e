namespace TiBillet.Grains.OnlinePayments;

/// <summary>
/// Stripe settings (<c>StripeOptions:*</c>). Without <see cref="SecretKey"/>, online payment is off: its fields answer
/// PAYMENTS_DISABLED and the webhook answers 404; everything else works.
/// </summary>
public sealed class StripeOptions
{
    /// <summary>The platform's secret API key (sk_…). Empty: online payment is off.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The signing secret of the webhook endpoint (whsec_…): events whose signature does not match it are refused.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Where the Stripe API is. Tests point it at a local stand-in.</summary>
    public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>The currency of every charge (ISO code, lower case).</summary>
    public string Currency { get; set; } = "eur";

    /// <summary>Where Stripe sends the customer after paying; Stripe replaces {CHECKOUT_SESSION_ID} with the session's id.</summary>
    public string SuccessUrl { get; set; } = "http://127.0.0.1:5080/stripe/return?session_id={CHECKOUT_SESSION_ID}";

    /// <summary>Where Stripe sends a customer who gave up.</summary>
    public string CancelUrl { get; set; } = "http://127.0.0.1:5080/stripe/cancelled";

    /// <summary>How old a webhook's signed timestamp may be (replay window).</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(SecretKey);
}
