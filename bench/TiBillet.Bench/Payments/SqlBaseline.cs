using Npgsql;
using TiBillet.Bench.Load;

namespace TiBillet.Bench.Payments;

/// <summary>
/// Part (c): the naive design a venue would otherwise run: one SQL transaction per sale that debits the card's balance
/// row (with a balance check), credits the venue's row and inserts a history row. Every sale credits the same venue row.
/// </summary>
public static class SqlBaseline
{
    public const int Clients = 32;

    public static async Task<LoadResult> RunAsync(NpgsqlDataSource db, int cards, TimeSpan warmUp, TimeSpan duration)
    {
        await using (var setup = db.CreateBatch())
        {
            setup.BatchCommands.Add(new("DROP TABLE IF EXISTS naive_accounts, naive_history"));
            setup.BatchCommands.Add(new("CREATE TABLE naive_accounts (id integer PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))"));
            setup.BatchCommands.Add(new("CREATE TABLE naive_history (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, card integer NOT NULL, venue integer NOT NULL, amount bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"));
            setup.BatchCommands.Add(new($"INSERT INTO naive_accounts SELECT g, 1000000000000 FROM generate_series(0, {cards}) g"));
            await setup.ExecuteNonQueryAsync();
        }

        const int venue = 0;
        async Task<bool> SaleAsync(long i)
        {
            var card = 1 + (int)Random.Shared.NextInt64(cards);
            await using var conn = await db.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(conn, tx)
            {
                BatchCommands =
                {
                    new("UPDATE naive_accounts SET balance = balance - $2 WHERE id = $1") { Parameters = { new() { Value = card }, new() { Value = 100L } } },
                    new("UPDATE naive_accounts SET balance = balance + $2 WHERE id = $1") { Parameters = { new() { Value = venue }, new() { Value = 100L } } },
                    new("INSERT INTO naive_history (card, venue, amount) VALUES ($1, $2, $3)") { Parameters = { new() { Value = card }, new() { Value = venue }, new() { Value = 100L } } },
                },
            };
            await batch.ExecuteNonQueryAsync();
            await tx.CommitAsync();
            return true;
        }

        await LoadGenerator.ClosedLoopAsync(Clients, warmUp, SaleAsync);
        return await LoadGenerator.ClosedLoopAsync(Clients, duration, SaleAsync);
    }
}
