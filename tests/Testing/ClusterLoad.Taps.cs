using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using TiBillet.Grains.PointOfSale;

namespace TiBillet.Testing;

/// <summary>The load's taps: tills to tap at, a till's payment request before each tap, and where a tap's money is found.</summary>
public sealed partial class ClusterLoad
{
    /// <summary>
    /// Creates <paramref name="count"/> points of sale at the network's venue, each with a registered reader device, and
    /// opens each till with the cashier card (a tap), as staff do before service.
    /// </summary>
    public static async Task<IReadOnlyList<Till>> CreateTillsAsync(CashlessNetwork net, int count)
    {
        var tills = new List<Till>();
        for (var i = 0; i < count; i++)
        {
            var code = "load" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            (await net.Silo.PostAsync("mutation($v: ID!, $p: ID!, $n: String!) { createPointOfSale(input: { venueId: $v, pointOfSaleId: $p, name: $n }) { name } }",
                new { v = net.Venue, p = code, n = "Load " + code }, net.Admin)).Data();
            var key = (await net.Silo.PostAsync("mutation($v: ID!, $p: ID!) { registerDevice(venueId: $v, pointOfSaleId: $p, name: \"reader\") { key } }", new { v = net.Venue, p = code }, net.Admin))
                .Data()["registerDevice"]!["key"]!.GetValue<string>();
            var till = new Till(code, "Device " + key);
            var opened = (await net.Silo.PostAsync(TapQuery, new { t = CashlessNetwork.NewKey(), u = net.Cashier }, till.Device)).Data()["tap"]!["outcome"]!.GetValue<string>();
            if (opened != "TILL_OPENED")
            {
                throw new InvalidOperationException($"Till {code} did not open: {opened}");
            }

            tills.Add(till);
        }

        return tills;
    }

    public int Started => _started;

    /// <summary>Why attempts were retried (error code, or the transport failure's type), with counts.</summary>
    public IReadOnlyDictionary<string, int> RetryCauses => _retryCauses;

    /// <summary>Makes the operation's amount the till's pending payment; false when stopped first (nothing moves without a tap).</summary>
    private async Task<bool> RequestPaymentUntilAnsweredAsync(Operation operation, int firstSilo, CancellationToken stop)
    {
        var till = operation.Till!;
        for (var attempt = 0; !stop.IsCancellationRequested; attempt++)
        {
            var silo = silos[(firstSilo + attempt) % silos.Count];
            var attemptStarted = Stopwatch.GetTimestamp();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(AttemptTimeout);
            string cause;
            try
            {
                var response = await silo.Silo.PostAsync(RequestPaymentQuery, new { v = silo.Venue, p = till.PointOfSale, a = operation.Amount }, till.Device, timeout.Token);
                if (response.Body["data"]?["requestPayment"] is JsonObject)
                {
                    return true;
                }

                cause = response.ErrorCodes() is [var first, ..] ? first : $"HTTP {(int)response.Status}";
                if (cause is not ("UNAVAILABLE" or "TIMEOUT"))
                {
                    throw new InvalidOperationException($"requestPayment at {till.PointOfSale} was refused: {response.Body.ToJsonString()}");
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return false;
            }
            catch (OperationCanceledException)
            {
                cause = "attempt timeout";
            }
            catch (Exception e) when (e is HttpRequestException or JsonException)
            {
                cause = e.GetType().Name;
            }

            _retryCauses.AddOrUpdate(cause, 1, (_, n) => n + 1);
            _failedAttempts.Enqueue((cause, DateTime.UtcNow, Stopwatch.GetElapsedTime(attemptStarted).TotalMilliseconds));
            try
            {
                await Task.Delay(RetryPause, stop);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Ledger operations of the request a tap served (its key is the till's request key); 0 when it names none.</summary>
    private static async Task<long> TapOperationsAsync(NpgsqlDataSource db, string venue, Answer answer, CancellationToken cancellationToken)
    {
        if (answer.RequestId is not { } request)
        {
            return 0;
        }

        await using var cmd = db.CreateCommand("SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1");
        cmd.Parameters.Add(new() { Value = PointOfSaleGrain.RequestKey(PointOfSaleId.Parse(venue, answer.Operation.Till!.PointOfSale), Guid.Parse(request)).Value });
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    private const string RequestPaymentQuery =
        "mutation($v: ID!, $p: ID!, $a: Long!) { requestPayment(input: { venueId: $v, pointOfSaleId: $p, amount: $a }) { name } }";

    private const string TapQuery =
        "mutation($t: String!, $u: String!) { tap(input: { readerName: \"reader\", uid: $u, tapId: $t }) { outcome declineReason requestId operationId } }";
}
