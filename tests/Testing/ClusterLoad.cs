using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace TiBillet.Testing;

/// <summary>
/// A client load spread over several silos' endpoints: sales, top-ups, card taps at tills and balance reads on a set of
/// funded cards. Like a till behind a load balancer, a request that gets no answer (connection refused or cut, timeout,
/// UNAVAILABLE) is sent again with the same key (a tap: its tap id) to the next silo until one answers; the first answer
/// is the operation's outcome. Afterwards <see cref="CheckAsync"/> proves nothing acknowledged was lost and nothing was
/// debited twice. Taps need <paramref name="tills"/> (<see cref="CreateTillsAsync"/>): worker i alone uses till i, as a
/// till's screen and reader do (a till has one pending payment at a time), so workers beyond the tills make no taps.
/// </summary>
public sealed partial class ClusterLoad(IReadOnlyList<CashlessNetwork> silos, IReadOnlyList<string> cards, long funding, int seed, IReadOnlyList<ClusterLoad.Till>? tills = null)
{
    public enum Kind { Pay, Refill, Read, Tap }

    /// <summary>A point of sale with its reader device's credential and its till opened by the cashier card.</summary>
    public sealed record Till(string PointOfSale, string Device);

    /// <summary>One client operation; a tap's key is its tap id, and it pays the payment its worker requested at <see cref="Till"/>.</summary>
    public sealed record Operation(Kind Kind, string Key, string Card, long Amount, Till? Till = null);

    /// <summary>The first answer an operation got: approved or declined, the ledger's operation id, and when (a tap: the request it served).</summary>
    public sealed record Answer(Operation Operation, bool Approved, string? OperationId, string? Refusal, DateTime StartedAt, DateTime AnsweredAt, int Attempts, string? RequestId = null)
    {
        public double LatencyMs => (AnsweredAt - StartedAt).TotalMilliseconds;
    }

    private readonly ConcurrentDictionary<string, Answer> _answers = new();
    private readonly ConcurrentDictionary<string, Operation> _unresolved = new();
    private readonly ConcurrentDictionary<string, int> _retryCauses = new();
    private readonly ConcurrentQueue<(string Cause, DateTime At, double Ms)> _failedAttempts = new();
    private int _started;

    /// <summary>Every attempt that got no answer: why, when it ended, and how long it took.</summary>
    public IReadOnlyCollection<(string Cause, DateTime At, double Ms)> FailedAttempts => _failedAttempts;

    /// <summary>How long one attempt may take before the client gives up on it and retries elsewhere.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between two attempts of one operation.</summary>
    public TimeSpan RetryPause { get; init; } = TimeSpan.FromMilliseconds(100);

    public IReadOnlyCollection<Answer> Answers => [.. _answers.Values];

    /// <summary>Money operations acknowledged as approved.</summary>
    public int Acked => _answers.Values.Count(a => a.Approved && a.Operation.Kind != Kind.Read);

    /// <summary>Operations answered, by kind (reads included; a tap counts once, with its payment request).</summary>
    public IReadOnlyDictionary<Kind, int> AnsweredByKind => _answers.Values.GroupBy(a => a.Operation.Kind).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Money operations acknowledged as approved, by kind.</summary>
    public IReadOnlyDictionary<Kind, int> AckedByKind =>
        _answers.Values.Where(a => a.Approved && a.Operation.Kind != Kind.Read).GroupBy(a => a.Operation.Kind).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Runs <paramref name="workers"/> clients until <paramref name="stop"/>; operations still unanswered then are kept to resolve later.</summary>
    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w =>
            Task.Run(() => WorkerAsync(new Random(seed * 1000 + w), tills is not null && w < tills.Count ? tills[w] : null, stop), CancellationToken.None)));

    private async Task WorkerAsync(Random random, Till? till, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var roll = random.Next(100);
            var kind = till is null
                ? roll < 60 ? Kind.Pay : roll < 75 ? Kind.Refill : Kind.Read
                : roll < 45 ? Kind.Pay : roll < 60 ? Kind.Refill : roll < 80 ? Kind.Tap : Kind.Read;
            var operation = new Operation(kind, CashlessNetwork.NewKey(), cards[random.Next(cards.Count)], kind == Kind.Refill ? random.Next(100, 500) : random.Next(50, 300),
                kind == Kind.Tap ? till : null);
            Interlocked.Increment(ref _started);
            // A tap pays what the till's screen asked for: the request first (retried elsewhere until answered), then the tap.
            if (kind == Kind.Tap && !await RequestPaymentUntilAnsweredAsync(operation, random.Next(silos.Count), stop))
            {
                return;
            }

            if (await SendUntilAnsweredAsync(operation, random.Next(silos.Count), stop) is { } answer)
            {
                _answers[operation.Key] = answer;
            }
            else if (kind != Kind.Read)
            {
                _unresolved[operation.Key] = operation;
            }
        }
    }

    private async Task<Answer?> SendUntilAnsweredAsync(Operation operation, int firstSilo, CancellationToken stop)
    {
        var started = DateTime.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            if (stop.IsCancellationRequested)
            {
                return null;
            }

            var silo = silos[(firstSilo + attempt - 1) % silos.Count];
            var attemptStarted = Stopwatch.GetTimestamp();
            var (answer, cause) = await TryOnceAsync(silo, operation, stop);
            if (answer is not null)
            {
                return answer with { StartedAt = started, Attempts = attempt };
            }

            _retryCauses.AddOrUpdate(cause!, 1, (_, n) => n + 1);
            _failedAttempts.Enqueue((cause!, DateTime.UtcNow, Stopwatch.GetElapsedTime(attemptStarted).TotalMilliseconds));
            try
            {
                await Task.Delay(RetryPause, stop);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>One attempt: the answer, or why there was none.</summary>
    private async Task<(Answer? Answer, string? Cause)> TryOnceAsync(CashlessNetwork silo, Operation operation, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(AttemptTimeout);
        GraphQLResponse response;
        try
        {
            response = operation.Kind switch
            {
                Kind.Pay => await silo.Silo.PostAsync(PayQuery, new { k = operation.Key, v = silo.Venue, c = silo.Cashier, card = operation.Card, l = new[] { new { label = "Bière", quantity = 1, unitPrice = operation.Amount } } }, silo.Admin, timeout.Token),
                Kind.Refill => await silo.Silo.PostAsync(RefillQuery, new { k = operation.Key, v = silo.Venue, c = silo.Cashier, card = operation.Card, a = operation.Amount }, silo.Admin, timeout.Token),
                Kind.Tap => await silo.Silo.PostAsync(TapQuery, new { t = operation.Key, u = operation.Card }, operation.Till!.Device, timeout.Token),
                _ => await silo.Silo.PostAsync(ReadQuery, new { c = operation.Card, v = silo.Venue }, silo.Admin, timeout.Token),
            };
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return (null, "stopped");
        }
        catch (OperationCanceledException)
        {
            return (null, "attempt timeout");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return (null, e.GetType().Name);
        }

        var field = operation.Kind switch { Kind.Pay => "pay", Kind.Refill => "refill", Kind.Tap => "tap", _ => "wallet" };
        if (response.Body["data"]?[field] is JsonObject tap && operation.Kind == Kind.Tap)
        {
            // APPROVED paid the pending request; DECLINED left it pending; anything else (till closed, balance shown) is a refusal.
            var outcome = tap["outcome"]!.GetValue<string>();
            var approved = outcome == "APPROVED";
            var refusal = approved ? null : outcome == "DECLINED" ? tap["declineReason"]?.GetValue<string>() ?? "declined" : outcome;
            return (new Answer(operation, approved, tap["operationId"]?.GetValue<string>(), refusal, default, DateTime.UtcNow, 0, tap["requestId"]?.GetValue<string>()), null);
        }

        if (response.Body["data"]?[field] is JsonObject result)
        {
            var approved = operation.Kind == Kind.Read || result["approved"]!.GetValue<bool>();
            var operationId = operation.Kind == Kind.Read ? null : result["operationId"]?.GetValue<string>();
            return (new Answer(operation, approved, operationId, approved ? null : result["reason"]?.GetValue<string>() ?? "declined", default, DateTime.UtcNow, 0), null);
        }

        var code = response.ErrorCodes() is [var first, ..] ? first : $"HTTP {(int)response.Status}";
        if (code is "UNAVAILABLE" or "TIMEOUT")
        {
            return (null, code);
        }

        // A refusal is an answer too (it wrote nothing); the checks below expect none under this load.
        return (new Answer(operation, false, null, code, default, DateTime.UtcNow, 0), null);
    }

    /// <summary>
    /// Sends every operation that never got an answer again, with its key, until one answers (the outcome a client
    /// retrying after the fault would get).
    /// </summary>
    public async Task ResolveUnansweredAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var (key, operation) in _unresolved)
        {
            var answer = await SendUntilAnsweredAsync(operation, 0, cancellationToken)
                         ?? throw new InvalidOperationException($"No answer for {key} after the fault.");
            _answers[key] = answer;
            _unresolved.TryRemove(key, out _);
        }
    }

    /// <summary>Operations that had no answer when the load stopped.</summary>
    public int Unresolved => _unresolved.Count;

    /// <summary>The verdict of <see cref="CheckAsync"/>: counts, and every problem found (none when all is well).</summary>
    public sealed record Verdict(int Acked, int AckedLost, int DoubleDebits, int ReplayMismatches, IReadOnlyList<string> Problems);

    /// <summary>
    /// After <see cref="ResolveUnansweredAsync"/>: each answered key committed exactly as answered (once if approved, never
    /// otherwise), a retry with the same key returns the first answer, and each card's balance is its funding plus the
    /// approved top-ups minus the approved sales.
    /// </summary>
    public async Task<Verdict> CheckAsync(CashlessNetwork via, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        int acked = 0, lost = 0, doubles = 0, mismatches = 0;
        var expected = cards.ToDictionary(c => c, _ => funding);
        foreach (var answer in _answers.Values.Where(a => a.Operation.Kind != Kind.Read))
        {
            var op = answer.Operation;
            var committed = op.Kind == Kind.Tap
                ? await TapOperationsAsync(db, via.Venue, answer, cancellationToken)
                : await LedgerChecker.OperationsWithKeyAsync(db, via.Venue, op.Key, cancellationToken);
            if (answer.Approved)
            {
                acked++;
                expected[op.Card] += op.Kind == Kind.Refill ? op.Amount : -op.Amount;
                if (committed == 0)
                {
                    lost++;
                    problems.Add($"acknowledged {op.Kind} {op.Key} is not in the ledger");
                }
            }
            else if (committed != 0)
            {
                problems.Add($"declined {op.Kind} {op.Key} ({answer.Refusal}) is in the ledger");
            }

            if (committed > 1)
            {
                doubles++;
                problems.Add($"{op.Kind} {op.Key} committed {committed} times");
            }
        }

        // A retry of every acknowledged operation returns its first answer (and charges nothing more). A till remembers its
        // last 32 taps: each till's latest taps are retried.
        var retried = _answers.Values.Where(a => a.Approved && a.Operation.Kind is Kind.Pay or Kind.Refill)
            .Concat(_answers.Values.Where(a => a.Operation.Kind == Kind.Tap).GroupBy(a => a.Operation.Till)
                .SelectMany(g => g.OrderByDescending(a => a.AnsweredAt).Take(16).Where(a => a.Approved)));
        foreach (var answer in retried)
        {
            var op = answer.Operation;
            var (replay, cause) = await TryOnceAsync(via, op, cancellationToken);
            if (replay is null || !replay.Approved || replay.OperationId != answer.OperationId)
            {
                mismatches++;
                problems.Add($"retry of {op.Kind} {op.Key} answered {replay?.Approved.ToString() ?? cause} {replay?.OperationId}, first answer {answer.OperationId}");
            }
        }

        foreach (var card in cards)
        {
            var balance = await via.TlfBalanceAsync(card);
            if (balance != expected[card])
            {
                doubles++;
                problems.Add($"card {card}: balance {balance}, expected {expected[card]} from the answers");
            }
        }

        return new Verdict(acked, lost, doubles, mismatches, problems);
    }

    /// <summary>
    /// Seconds from <paramref name="fault"/> until the last attempt that failed because of it: a grain call refused or
    /// timed out (UNAVAILABLE, TIMEOUT, no answer in time). A refused connection to a dead silo's own endpoint is not
    /// counted: the client moves on at once, as a load balancer would. After this, every operation was served.
    /// </summary>
    public double RecoverySeconds(DateTime fault)
    {
        var last = _failedAttempts
            .Where(f => f.At >= fault && f.Cause is not ("stopped" or nameof(HttpRequestException)))
            .Select(f => f.At)
            .DefaultIfEmpty(fault)
            .Max();
        return (last - fault).TotalSeconds;
    }

    private const string PayQuery =
        "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $l: [BasketLineInput!]!) { pay(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, lines: $l) { approved reason operationId } }";

    private const string RefillQuery =
        "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $a: Long!) { refill(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, amount: $a, means: CASH) { approved operationId } }";

    private const string ReadQuery =
        "query($c: String!, $v: ID) { wallet(cardUid: $c, venueId: $v) { balances { assetId amount } } }";
}
