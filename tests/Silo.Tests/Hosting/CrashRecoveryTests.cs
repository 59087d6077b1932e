using TiBillet.Grains.Common;
using TiBillet.Grains.Wallets;
using System.Collections.Concurrent;
using Npgsql;
using TiBillet.Testing;

namespace TiBillet.Silo.Tests.Hosting;

/// <summary>
/// Money rule 2 (docs/architecture.md) under a real crash: the silo process is killed with SIGKILL in the middle of a payment load. After a
/// restart, every payment that was acknowledged is in the ledger exactly once, retries with the same keys return the
/// original results, and requests whose outcome was unknown resolve to exactly one outcome.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int Cards = 20;
    private const long Funding = 10_000;
    private const int Workers = 16;
    private const int AcksBeforeKill = 300;

    private sealed record Attempt(string Key, string Card, long Amount);

    [Fact]
    public async Task Acknowledged_payments_survive_a_sigkill_exactly_once_and_replay_after_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await TestPostgres.CreateDatabaseAsync("crash");
        await using var silo = new SiloProcess(connectionString);
        await silo.StartAsync(ct);
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var cards = new List<string>();
        for (var i = 0; i < Cards; i++)
        {
            cards.Add(await net.FundedCardAsync(Funding));
        }

        var acked = new ConcurrentDictionary<string, (Attempt Attempt, string OperationId)>();
        var declined = new ConcurrentBag<Attempt>();
        var unknown = new ConcurrentBag<Attempt>();
        var enoughAcks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(ct);

        async Task WorkerAsync(int seed)
        {
            var random = new Random(seed);
            while (!stopLoad.IsCancellationRequested)
            {
                var attempt = new Attempt(CashlessNetwork.NewKey(), cards[random.Next(Cards)], random.Next(50, 300));
                try
                {
                    var response = await net.PayAsync(attempt.Card, attempt.Amount, 1, attempt.Key);
                    var pay = response.Body["data"]?["pay"];
                    if (pay is null)
                    {
                        unknown.Add(attempt);
                    }
                    else if (pay["approved"]!.GetValue<bool>())
                    {
                        acked[attempt.Key] = (attempt, pay["operationId"]!.GetValue<string>());
                        if (acked.Count >= AcksBeforeKill)
                        {
                            enoughAcks.TrySetResult();
                        }
                    }
                    else
                    {
                        declined.Add(attempt);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    // The process died under this request: its outcome is unknown until retried.
                    unknown.Add(attempt);
                    if (stopLoad.IsCancellationRequested || enoughAcks.Task.IsCompleted)
                    {
                        return;
                    }
                }
            }
        }

        var workers = Enumerable.Range(0, Workers).Select(i => Task.Run(() => WorkerAsync(i), ct)).ToList();
        await enoughAcks.Task.WaitAsync(TimeSpan.FromMinutes(3), ct);
        await silo.KillAsync();
        await stopLoad.CancelAsync();
        await Task.WhenAll(workers);

        await silo.StartAsync(ct);

        await using var db = NpgsqlDataSource.Create(connectionString);
        async Task<long> OperationsWithKeyAsync(string key)
        {
            await using var cmd = db.CreateCommand("SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1");
            cmd.Parameters.Add(new() { Value = IdempotencyScope.ForVenue(VenueId.Parse(net.Venue), key).Value });
            return (long)(await cmd.ExecuteScalarAsync(ct))!;
        }

        var charged = cards.ToDictionary(c => c, _ => 0L);
        foreach (var (key, (attempt, operationId)) in acked)
        {
            Assert.Equal(1, await OperationsWithKeyAsync(key));
            var replay = (await net.PayAsync(attempt.Card, attempt.Amount, 1, key)).Data()["pay"]!;
            Assert.True(replay["approved"]!.GetValue<bool>());
            Assert.Equal(operationId, replay["operationId"]!.GetValue<string>());
            charged[attempt.Card] += attempt.Amount;
        }

        foreach (var attempt in unknown)
        {
            var retry = (await net.PayAsync(attempt.Card, attempt.Amount, 1, attempt.Key)).Data()["pay"]!;
            var approved = retry["approved"]!.GetValue<bool>();
            Assert.Equal(approved ? 1 : 0, await OperationsWithKeyAsync(attempt.Key));
            if (approved)
            {
                charged[attempt.Card] += attempt.Amount;
            }
        }

        foreach (var attempt in declined)
        {
            Assert.Equal(0, await OperationsWithKeyAsync(attempt.Key));
        }

        foreach (var card in cards)
        {
            Assert.Equal(Funding - charged[card], await net.TlfBalanceAsync(card));
        }

        await using (var sums = db.CreateCommand("SELECT count(*) FROM (SELECT asset_id FROM ledger_balances GROUP BY asset_id HAVING sum(balance) <> 0) s"))
        {
            Assert.Equal(0L, await sums.ExecuteScalarAsync(ct));
        }

        var verification = (await silo.Client.PostAsync("{ verifyLedger { clean mismatches { kind detail } } }", authorization: net.Admin, cancellationToken: ct)).Data()["verifyLedger"]!;
        Assert.True(verification["clean"]!.GetValue<bool>(), verification.ToJsonString());
        Assert.True(acked.Count >= AcksBeforeKill);
        // The kill landed mid-load: requests were in flight with no answer.
        Assert.NotEmpty(unknown);
        TestContext.Current.TestOutputHelper?.WriteLine($"acked {acked.Count}, declined {declined.Count}, unknown {unknown.Count}");
    }
}
