using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TiBillet.Testing;

/// <summary>
/// A stand-in for the Stripe API, in the test process on a loopback port: the endpoints Stripe.net calls for Checkout
/// Sessions (create, retrieve) and refunds (create), with Stripe's JSON shapes, its <c>Idempotency-Key</c> rule (the same
/// key on the same account and path returns the first answer), <c>Stripe-Account</c> scoping (a connected account's
/// session is found only with its header) and error bodies. It sends webhooks signed with Stripe's scheme:
/// <c>Stripe-Signature: t=…,v1=hex(HMAC-SHA256(secret, t + "." + payload))</c>. No real Stripe is called. Thread-safe.
/// </summary>
public sealed class StripeStandIn : IAsyncDisposable
{
    public const string SecretKey = "sk_test_standin_0123456789";
    public const string WebhookSecret = "whsec_standin_0123456789";

    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _answered = new();
    private readonly ConcurrentDictionary<string, long> _refunded = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;
    private int _refundsCreated;
    private int _loseNextRefundAnswer;
    private int _sessionsCreated;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The silo's <c>POST /stripe/webhook</c>, set once the silo runs.</summary>
    public Uri? WebhookUrl { get; set; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Refunds actually created (a replay by idempotency key does not count).</summary>
    public int RefundsCreated => Volatile.Read(ref _refundsCreated);

    /// <summary>Sessions actually created (a replay by idempotency key does not count).</summary>
    public int SessionsCreated => Volatile.Read(ref _sessionsCreated);

    /// <summary>Starts on <paramref name="port"/> of the loopback address (0: a free one).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/checkout/sessions", (Func<HttpContext, Task<IResult>>)CreateSessionAsync);
        _app.MapGet("/v1/checkout/sessions/{id}", (Func<HttpContext, string, IResult>)GetSession);
        _app.MapPost("/v1/refunds", (Func<HttpContext, Task<IResult>>)CreateRefundAsync);
        _app.MapPost("/pay/{id}", (Func<HttpContext, string, Task<IResult>>)PayPageAsync);
        await _app.StartAsync(cancellationToken);
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>
    /// The next refund is made, but its answer is lost on the way back (503, and Stripe's header telling clients not to
    /// retry on their own): the caller's retry with the same key must get the first refund, not a second one.
    /// </summary>
    public void LoseNextRefundAnswer() => Interlocked.Exchange(ref _loseNextRefundAnswer, 1);

    /// <summary>The account a session was created on (null: the platform's).</summary>
    public string? AccountOf(string sessionId) => _sessions[sessionId].Account;

    /// <summary>The customer pays on Stripe's page: the session completes, paid, or (a delayed method such as SEPA) unpaid for now.</summary>
    public void Pay(string sessionId, bool delayed = false)
    {
        var s = _sessions[sessionId];
        lock (s)
        {
            s.Status = "complete";
            s.PaymentStatus = delayed ? "unpaid" : "paid";
            s.PaymentIntent ??= "pi_" + Guid.NewGuid().ToString("N")[..24];
        }
    }

    /// <summary>A delayed payment ends: paid, or still unpaid when it failed.</summary>
    public void Settle(string sessionId, bool succeeded)
    {
        var s = _sessions[sessionId];
        lock (s)
        {
            s.PaymentStatus = succeeded ? "paid" : "unpaid";
        }
    }

    /// <summary>
    /// The session runs out unpaid, as Stripe expires an open session at its <c>expires_at</c>: it becomes
    /// <c>expired</c>/<c>unpaid</c> and <c>checkout.session.expired</c> is sent to the silo. Answers the webhook's response.
    /// </summary>
    public Task<HttpResponseMessage> ExpireAsync(string sessionId)
    {
        var s = _sessions[sessionId];
        lock (s)
        {
            // Stripe expires only open sessions: a completed one stays completed.
            if (s.Status != "open")
            {
                throw new InvalidOperationException($"Session {sessionId} is {s.Status}, not open: it cannot expire.");
            }

            s.Status = "expired";
            s.PaymentStatus = "unpaid";
        }

        return SendEventAsync("checkout.session.expired", sessionId);
    }

    /// <summary>An event about a session as Stripe would send it (its id is new unless given).</summary>
    public string EventJson(string type, string sessionId, string? eventId = null)
    {
        var s = _sessions[sessionId];
        var evt = new JsonObject
        {
            ["id"] = eventId ?? "evt_" + Guid.NewGuid().ToString("N")[..24],
            ["object"] = "event",
            ["api_version"] = Stripe.StripeConfiguration.ApiVersion,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
            ["data"] = new JsonObject { ["object"] = Json(s) },
        };
        if (s.Account is not null)
        {
            evt["account"] = s.Account;
        }

        return evt.ToJsonString();
    }

    /// <summary>Sends an event about a session to the silo, signed with the webhook secret (or <paramref name="secret"/>).</summary>
    public Task<HttpResponseMessage> SendEventAsync(string type, string sessionId, string? secret = null) => PostEventAsync(EventJson(type, sessionId), secret);

    /// <summary>POSTs an event body to the silo's webhook with a Stripe signature made now (or at <paramref name="timestamp"/>).</summary>
    public async Task<HttpResponseMessage> PostEventAsync(string json, string? secret = null, DateTimeOffset? timestamp = null)
    {
        var t = (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? WebhookSecret), Encoding.UTF8.GetBytes(t + "." + json)));
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookUrl ?? throw new InvalidOperationException("No webhook URL yet."))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", $"t={t},v1={signature}");
        return await Http.SendAsync(request);
    }

    // ---------------------------------------------------------------- the API

    /// <summary>
    /// Stands in for Stripe's payment page: <c>POST /pay/{id}</c> (<c>?delayed=true</c> for a delayed method) pays the
    /// session and sends <c>checkout.session.completed</c> to the webhook, as Stripe would. Answers the webhook's status.
    /// </summary>
    private async Task<IResult> PayPageAsync(HttpContext http, string id)
    {
        if (!_sessions.ContainsKey(id))
        {
            return Results.Text(Error("invalid_request_error", "resource_missing", $"No such checkout.session: '{id}'"), "application/json", statusCode: 404);
        }

        Pay(id, delayed: http.Request.Query["delayed"] == "true");
        if (WebhookUrl is null)
        {
            return Results.Json(new { paid = id });
        }

        using var sent = await SendEventAsync("checkout.session.completed", id);
        return Results.Json(new { paid = id, webhookStatus = (int)sent.StatusCode });
    }

    private async Task<IResult> CreateSessionAsync(HttpContext http)
    {
        if (Unauthorized(http) is { } refused)
        {
            return refused;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        return await IdempotentAsync(http, () =>
        {
            if (!long.TryParse(form["line_items[0][price_data][unit_amount]"], out var amount) || amount <= 0)
            {
                return (400, Error("invalid_request_error", "parameter_missing", "Missing line_items[0][price_data][unit_amount]."));
            }

            var quantity = long.TryParse(form["line_items[0][quantity]"], out var q) ? q : 1;
            var id = "cs_test_" + Guid.NewGuid().ToString("N");
            var session = new Session(id, Account(http), amount * quantity, form["line_items[0][price_data][currency]"].ToString(),
                form["customer_email"].ToString(), form["client_reference_id"].ToString(), form["success_url"].ToString(),
                new Uri(BaseAddress, "/pay/" + id).ToString());
            foreach (var (key, value) in form)
            {
                if (key.StartsWith("metadata[", StringComparison.Ordinal))
                {
                    session.Metadata[key["metadata[".Length..^1]] = value.ToString();
                }
            }

            _sessions[id] = session;
            Interlocked.Increment(ref _sessionsCreated);
            return (200, Json(session).ToJsonString());
        });
    }

    private IResult GetSession(HttpContext http, string id)
    {
        if (Unauthorized(http) is { } refused)
        {
            return refused;
        }

        // As Stripe: a session made on a connected account exists only for requests on that account.
        return _sessions.TryGetValue(id, out var s) && s.Account == Account(http)
            ? Results.Text(Json(s).ToJsonString(), "application/json")
            : Results.Text(Error("invalid_request_error", "resource_missing", $"No such checkout.session: '{id}'"), "application/json", statusCode: 404);
    }

    private async Task<IResult> CreateRefundAsync(HttpContext http)
    {
        if (Unauthorized(http) is { } refused)
        {
            return refused;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var answer = await IdempotentAsync(http, () =>
        {
            var intent = form["payment_intent"].ToString();
            var paid = _sessions.Values.FirstOrDefault(s => s.PaymentIntent == intent && s.PaymentStatus == "paid" && s.Account == Account(http));
            if (paid is null)
            {
                return (404, Error("invalid_request_error", "resource_missing", $"No such payment_intent: '{intent}'"));
            }

            var amount = long.TryParse(form["amount"], out var a) ? a : paid.Amount - _refunded.GetValueOrDefault(intent);
            if (amount <= 0 || _refunded.GetValueOrDefault(intent) + amount > paid.Amount)
            {
                return (400, Error("invalid_request_error", "charge_already_refunded", "The amount is more than what is left to refund."));
            }

            _refunded.AddOrUpdate(intent, amount, (_, before) => before + amount);
            Interlocked.Increment(ref _refundsCreated);
            return (200, new JsonObject
            {
                ["id"] = "re_" + Guid.NewGuid().ToString("N")[..24],
                ["object"] = "refund",
                ["amount"] = amount,
                ["currency"] = paid.Currency,
                ["payment_intent"] = intent,
                ["status"] = "succeeded",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            }.ToJsonString());
        });
        if (Interlocked.Exchange(ref _loseNextRefundAnswer, 0) == 1)
        {
            http.Response.Headers["Stripe-Should-Retry"] = "false";
            return Results.Text(Error("api_error", null, "The answer was lost on the way."), "application/json", statusCode: (int)HttpStatusCode.ServiceUnavailable);
        }

        return answer;
    }

    /// <summary>Stripe's rule: a POST with an <c>Idempotency-Key</c> seen before (same account and path) gets the first answer again.</summary>
    private async Task<IResult> IdempotentAsync(HttpContext http, Func<(int Status, string Body)> create)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var slot = $"{Account(http)}|{http.Request.Path}|{key}";
        await _gate.WaitAsync(http.RequestAborted);
        try
        {
            if (key.Length > 0 && _answered.TryGetValue(slot, out var earlier))
            {
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return Results.Text(earlier.Body, "application/json", statusCode: earlier.Status);
            }

            var answer = create();
            if (key.Length > 0)
            {
                _answered[slot] = answer;
            }

            return Results.Text(answer.Body, "application/json", statusCode: answer.Status);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static IResult? Unauthorized(HttpContext http) =>
        http.Request.Headers.Authorization.ToString() == "Bearer " + SecretKey
            ? null
            : Results.Text(Error("invalid_request_error", null, "Invalid API Key provided."), "application/json", statusCode: (int)HttpStatusCode.Unauthorized);

    private static string? Account(HttpContext http) =>
        http.Request.Headers["Stripe-Account"].ToString() is { Length: > 0 } account ? account : null;

    private static string Error(string type, string? code, string message) =>
        new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message } }.ToJsonString();

    private static JsonObject Json(Session s)
    {
        lock (s)
        {
            var metadata = new JsonObject();
            foreach (var (k, v) in s.Metadata)
            {
                metadata[k] = v;
            }

            return new JsonObject
            {
                ["id"] = s.Id,
                ["object"] = "checkout.session",
                ["amount_total"] = s.Amount,
                ["amount_subtotal"] = s.Amount,
                ["currency"] = s.Currency,
                ["customer_email"] = s.CustomerEmail,
                ["client_reference_id"] = s.ClientReference,
                ["livemode"] = false,
                ["metadata"] = metadata,
                ["mode"] = "payment",
                ["payment_intent"] = s.PaymentIntent,
                ["payment_status"] = s.PaymentStatus,
                ["status"] = s.Status,
                ["success_url"] = s.SuccessUrl,
                ["url"] = s.Status == "open" ? s.Url : null,
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            };
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Http.Dispose();
        _gate.Dispose();
    }

    private sealed class Session(string id, string? account, long amount, string currency, string customerEmail, string clientReference, string successUrl, string url)
    {
        public string Id { get; } = id;
        public string? Account { get; } = account;
        public long Amount { get; } = amount;
        public string Currency { get; } = currency;
        public string CustomerEmail { get; } = customerEmail;
        public string ClientReference { get; } = clientReference;
        public string SuccessUrl { get; } = successUrl;
        public string Url { get; } = url;
        public Dictionary<string, string> Metadata { get; } = [];
        public string Status { get; set; } = "open";
        public string PaymentStatus { get; set; } = "unpaid";
        public string? PaymentIntent { get; set; }
    }
}
