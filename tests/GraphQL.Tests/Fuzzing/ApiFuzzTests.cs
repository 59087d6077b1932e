using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Fuzzing;

/// <summary>
/// Fuzzes the real endpoint over HTTP and over WebSocket (graphql-transport-ws) with a seeded corpus built from the
/// committed schema and the tests' valid operations (<see cref="FuzzCorpus"/>): no answer is an HTTP 500, no answer
/// carries exception text, and no refused operation changes anything (row counts, balances, card rows, grain state).
/// </summary>
public sealed class ApiFuzzTests(SiloHostFixture silo) : IClassFixture<SiloHostFixture>
{
    private const int Seed = 20261207;
    private const int MutatedHttpCases = 700;
    private const int MutatedSocketCases = 200;

    private static readonly string[] Leaks =
        ["Exception", "   at ", "StackTrace", "System.", "Npgsql", "Orleans.", "TiBillet.Grains", "TiBillet.GraphQL", "TiBillet.Silo", ".cs:line"];

    [Fact]
    public async Task Malformed_hostile_and_mutated_operations_get_no_500_no_exception_text_and_change_nothing_when_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(10_000);
        var seeds = Seeds(net, card);
        var corpus = new FuzzCorpus(Seed);
        var fields = FuzzCorpus.RootFields(await File.ReadAllTextAsync(SchemaPath(), ct));
        var cases = FuzzCorpus.HostileCases().Concat(corpus.SchemaCases(fields)).Concat(corpus.MutatedCases(seeds, MutatedHttpCases)).ToList();
        await using var db = NpgsqlDataSource.Create(silo.ConnectionString);
        var failures = new List<string>();
        var refusedMutations = 0;
        // The state after the last check, while nothing could have changed it since (saves a query per case).
        string? known = null;

        foreach (var (fuzz, i) in cases.Select((c, i) => (c, i)))
        {
            // Half as the instance admin (reaches the deepest code), half anonymous.
            var authorization = i % 2 == 0 ? net.Admin : null;
            var before = fuzz.IsMutation ? known ?? await SnapshotAsync(db, ct) : null;
            known = null;
            using var request = new HttpRequestMessage(HttpMethod.Post, silo.GraphQLUri) { Content = new StringContent(fuzz.Body, Encoding.UTF8, "application/json") };
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await silo.Http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Check(fuzz.Name, response.StatusCode, text, failures);
            if (before is not null && Refused(text))
            {
                refusedMutations++;
                var after = await SnapshotAsync(db, ct);
                if (after != before)
                {
                    failures.Add($"{fuzz.Name}: refused, yet the state changed\n  before {before}\n  after  {after}");
                }

                known = after;
            }
        }

        var socketCases = FuzzCorpus.HostileCases().Where(c => c.Body.Length < 200_000).Select(c => c.Body)
            .Concat(new FuzzCorpus(Seed + 1).MutatedCases(seeds, MutatedSocketCases).Select(c => c.Body)).ToList();
        var frames = await FuzzSocketAsync(socketCases, failures, ct);

        var total = cases.Count + frames;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"fuzz cases run: {total} ({cases.Count} over HTTP, {refusedMutations} of them refused mutations checked for state changes; {frames} over WebSocket); seed {Seed}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
        await LedgerChecker.AssertCleanAsync(silo.ConnectionString, silo.Client, net.Admin, net, [card], ct);
    }

    /// <summary>Frames sent over one socket at a time: protocol garbage, then each case as a subscribe message.</summary>
    private async Task<int> FuzzSocketAsync(IReadOnlyList<string> bodies, List<string> failures, CancellationToken ct)
    {
        var token = await silo.AdminTokenAsync();
        string[] garbage =
        [
            "not json", "{}", "[]", "{\"type\":\"nope\"}", "{\"type\":\"subscribe\"}", "{\"type\":\"subscribe\",\"id\":\"\",\"payload\":null}",
            "{\"type\":\"complete\",\"id\":\"never-started\"}", "{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer nope\"}}",
            "{\"type\":\"ping\",\"payload\":" + new string('[', 5_000) + new string(']', 5_000) + "}",
        ];
        var frames = 0;
        ClientWebSocket? socket = null;
        async Task<ClientWebSocket> OpenAsync()
        {
            var s = new ClientWebSocket();
            s.Options.AddSubProtocol("graphql-transport-ws");
            await s.ConnectAsync(new UriBuilder(silo.GraphQLUri) { Scheme = "ws" }.Uri, ct);
            await SendAsync(s, $$$"""{"type":"connection_init","payload":{"Authorization":"Bearer {{{token}}}"}}""");
            var ack = await ReceiveAsync(s, ct);
            Assert.Contains("connection_ack", ack ?? "", StringComparison.Ordinal);
            return s;
        }

        async Task SendAsync(ClientWebSocket s, string text) => await s.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);

        // Protocol garbage: each on a fresh socket, since the protocol closes the socket on most of them.
        foreach (var frame in garbage)
        {
            using var s = await OpenAsync();
            await SendAsync(s, frame);
            frames++;
            while (await ReceiveAsync(s, ct, TimeSpan.FromMilliseconds(300)) is { } answer)
            {
                Check("socket garbage " + frame[..Math.Min(40, frame.Length)], HttpStatusCode.OK, answer, failures);
            }
        }

        var id = 0;
        foreach (var body in bodies)
        {
            socket ??= await OpenAsync();
            // The body spliced in as the payload, as is: when it is not JSON, the frame is not either (a case in itself).
            var frame = "{\"id\":\"f" + (++id).ToString(System.Globalization.CultureInfo.InvariantCulture) + "\",\"type\":\"subscribe\",\"payload\":" + (body.Length == 0 ? "null" : body) + "}";
            await SendAsync(socket, frame);
            frames++;
            // Until this operation's complete or error, or the server closes the socket (then a fresh one).
            while (true)
            {
                var answer = await ReceiveAsync(socket, ct, TimeSpan.FromSeconds(10));
                if (answer is null)
                {
                    socket.Dispose();
                    socket = null;
                    break;
                }

                Check($"socket case f{id}", HttpStatusCode.OK, answer, failures);
                if (answer.Contains($"\"f{id}\"", StringComparison.Ordinal) && (answer.Contains("\"complete\"", StringComparison.Ordinal) || answer.Contains("\"error\"", StringComparison.Ordinal)))
                {
                    break;
                }
            }
        }

        socket?.Dispose();
        return frames;
    }

    /// <summary>The next text message, or null when the socket closes or nothing comes within <paramref name="wait"/>.</summary>
    private static async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken ct, TimeSpan? wait = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(wait ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[1 << 20];
        var count = 0;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(count), timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // The close reason is an answer too: it must not leak either.
                    return socket.CloseStatusDescription is { Length: > 0 } reason && Leaks.Any(l => reason.Contains(l, StringComparison.Ordinal)) ? reason : null;
                }

                count += result.Count;
                if (result.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(buffer, 0, count);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            return null;
        }
    }

    private static void Check(string name, HttpStatusCode status, string text, List<string> failures)
    {
        if ((int)status >= 500)
        {
            failures.Add($"{name}: HTTP {(int)status}: {Clip(text)}");
        }

        if (Leaks.FirstOrDefault(l => text.Contains(l, StringComparison.Ordinal)) is { } leak)
        {
            failures.Add($"{name}: answer contains \"{leak}\": {Clip(text)}");
        }
    }

    private static string Clip(string text) => text.Length > 400 ? text[..400] + "…" : text;

    /// <summary>A refusal: errors and no mutation field with a value.</summary>
    private static bool Refused(string text)
    {
        try
        {
            var body = JsonNode.Parse(text) as JsonObject;
            return body?["errors"] is JsonArray { Count: > 0 } && (body["data"] is not JsonObject data || data.All(f => f.Value is null));
        }
        catch (JsonException)
        {
            return true;
        }
    }

    /// <summary>Everything a mutation could change, in one line: row counts, balances, card rows and grain state versions.</summary>
    private static async Task<string> SnapshotAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT concat_ws(' ',
              'ops', (SELECT count(*) FROM ledger_operations), 'tx', (SELECT count(*) FROM ledger_transactions),
              'balances', (SELECT md5(coalesce(string_agg(wallet_id::text || asset_id::text || balance, ',' ORDER BY wallet_id, asset_id), '')) FROM ledger_balances),
              'cards', (SELECT md5(coalesce(string_agg(c::text, ',' ORDER BY c::text), '')) FROM cards c),
              'venues', (SELECT count(*) FROM venues), 'assets', (SELECT count(*) FROM assets),
              'staff', (SELECT count(*) FROM staff_users), 'roles', (SELECT count(*) FROM venue_roles),
              'devices', (SELECT count(*) FROM devices), 'partners', (SELECT count(*) FROM partners),
              'customers', (SELECT count(*) FROM customers), 'sign_ins', (SELECT count(*) FROM customer_sign_ins),
              'links', (SELECT count(*) FROM card_link_requests), 'grants', (SELECT count(*) FROM card_cashier_grants),
              'keys', (SELECT count(*) FROM signing_keys),
              'grain_state', (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM orleans_storage))
            """);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Valid operations of the tests, with their variables: what the mutations start from.</summary>
    private static List<(string Query, object? Variables, bool IsMutation)> Seeds(CashlessNetwork net, string card) =>
    [
        ("mutation($k: String!, $v: ID!, $c: String!, $card: String!, $l: [BasketLineInput!]!) { pay(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, lines: $l) { approved reason total operationId balances { assetId amount } } }",
            new { k = "fuzz-pay", v = net.Venue, c = net.Cashier, card, l = new[] { new { label = "Bière", quantity = 1000, unitPrice = 100000 } } }, true),
        ("mutation($k: String!, $v: ID!, $c: String!, $card: String!, $a: Long!) { refill(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, amount: $a, means: CASH) { approved operationId } }",
            new { k = "fuzz-refill", v = net.Venue, c = "00000000", card, a = 100 }, true),
        ("mutation($e: String!, $s: String!) { login(email: $e, secret: $s) { token } }", new { e = "nobody@x.y", s = "wrong" }, true),
        ("mutation { tap(input: {readerName: \"r\", uid: \"DE000001\", tapId: \"t1\"}) { outcome message amount balances { asset amount } } }", null, true),
        ("mutation { requestPayment(input: {venueId: \"nope\", pointOfSaleId: \"bar\", lines: [{label: \"Café\", quantity: 1, unitPrice: 150}]}) { name } }", null, true),
        ("mutation($v: ID!) { createPointOfSale(input: { venueId: $v, pointOfSaleId: \"bar\", name: \"Bar\" }) { name } }", new { v = net.Venue }, true),
        ("mutation($c: [NewCardInput!]!) { registerCards(cards: $c) { registered errors { code } } }", new { c = new[] { new { uid = "zz", number = "", qrId = "" } } }, true),
        ("mutation { blockCard(input: {venueId: \"nope\", uid: \"DE000004\", reason: \"x\"}) { state blockedBy } }", null, true),
        ("mutation { requestSignIn(input: {email: \"not-an-email\"}) }", null, true),
        ("query($v: ID!) { venue(id: $v) { name assets { id kind name } } }", new { v = net.Venue }, false),
        ("query($c: String!, $v: ID) { wallet(cardUid: $c, venueId: $v) { balances { assetId amount } } }", new { c = card, v = net.Venue }, false),
        ("{ instance { name serverTime } me { kind userId isInstanceAdmin } }", null, false),
        ("{ verifyLedger { clean transactions mismatches { kind detail } } }", null, false),
        ("query($u: String!) { card(uid: $u) { walletId } }", new { u = card }, false),
        ("{ myWallet { id balances { assetId amount } } myCards { uid state } myHistory(first: 10) { items { kind assetId amount at } endCursor hasNextPage } }", null, false),
    ];

    private static string SchemaPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "schema.graphql");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("schema.graphql not found above " + AppContext.BaseDirectory);
    }
}
