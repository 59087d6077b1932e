using Npgsql;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Customers;

/// <summary>A customer account: made at the first successful sign-in of its e-mail.</summary>
public sealed record CustomerAccount(EmailAddress Email, DateTimeOffset CreatedAt, bool FirstSignIn);

/// <summary>SQL for customer accounts and their pending sign-ins. Only hashes of codes and link tokens are stored.</summary>
public sealed class CustomerStore(NpgsqlDataSource dataSource)
{
    // Marking the sign-in used and making or touching the account is one statement: single use holds under concurrency
    // (a second UPDATE of the row waits, then finds used_at set), and no account exists without a used sign-in.
    private const string UseAndUpsertSql =
        """
        WITH used AS (
            UPDATE customer_sign_ins SET used_at = now()
            WHERE {0} AND used_at IS NULL AND expires_at > now()
            RETURNING email)
        INSERT INTO customers (email) SELECT email FROM used LIMIT 1
        ON CONFLICT (email) DO UPDATE SET last_signed_in_at = now()
        RETURNING email, created_at, (xmax = 0)
        """;

    /// <summary>Stores a pending sign-in, and forgets the e-mail's expired ones.</summary>
    public async Task AddSignInAsync(EmailAddress email, byte[] codeHash, byte[] tokenHash, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM customer_sign_ins WHERE email = $1 AND expires_at < now()")
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = email.Value } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "INSERT INTO customer_sign_ins (sign_in_id, email, code_hash, token_hash, expires_at) VALUES ($1, $2, $3, $4, now() + $5)")
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() },
                new NpgsqlParameter<string> { TypedValue = email.Value },
                new NpgsqlParameter<byte[]> { TypedValue = codeHash },
                new NpgsqlParameter<byte[]> { TypedValue = tokenHash },
                new NpgsqlParameter<TimeSpan> { TypedValue = lifetime },
            },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Uses the e-mail's pending sign-in with this code (fewer than <paramref name="maxFailedAttempts"/> wrong codes so far)
    /// and returns the account, made if new. Null when none matches; then every pending sign-in of the e-mail counts one
    /// more wrong attempt.
    /// </summary>
    public async Task<CustomerAccount?> UseCodeAsync(EmailAddress email, byte[] codeHash, int maxFailedAttempts, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, UseAndUpsertSql,
            "email = $1 AND code_hash = $2 AND failed_attempts < $3"));
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = email.Value });
        cmd.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = codeHash });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxFailedAttempts });
        if (await ReadAccountAsync(cmd, cancellationToken) is { } account)
        {
            return account;
        }

        await using var failed = dataSource.CreateCommand(
            "UPDATE customer_sign_ins SET failed_attempts = failed_attempts + 1 WHERE email = $1 AND used_at IS NULL AND expires_at > now()");
        failed.Parameters.Add(new NpgsqlParameter<string> { TypedValue = email.Value });
        await failed.ExecuteNonQueryAsync(cancellationToken);
        return null;
    }

    /// <summary>Uses the pending sign-in of this link token and returns the account, made if new; null when none matches.</summary>
    public async Task<CustomerAccount?> UseTokenAsync(byte[] tokenHash, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, UseAndUpsertSql, "token_hash = $1"));
        cmd.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = tokenHash });
        return await ReadAccountAsync(cmd, cancellationToken);
    }

    private static async Task<CustomerAccount?> ReadAccountAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CustomerAccount(new EmailAddress(reader.GetString(0)), reader.GetFieldValue<DateTimeOffset>(1), reader.GetBoolean(2))
            : null;
    }

    /// <summary>
    /// The user wallet of an e-mail, made (empty) when the e-mail has none yet, so money can be sent to someone who has
    /// no card yet; linking their first card later fuses into it.
    /// </summary>
    public async Task<WalletId> EnsureUserWalletAsync(EmailAddress email, CancellationToken cancellationToken = default)
    {
        // One statement: the owner row and its ledger wallet appear together. When another request made the owner row at
        // the same moment, this statement's snapshot may not see it yet, so ask once more.
        for (var attempt = 0; ; attempt++)
        {
            await using var cmd = dataSource.CreateCommand(
                """
                WITH owner AS (INSERT INTO wallet_owners (email, wallet_id) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING wallet_id),
                     made AS (INSERT INTO ledger_wallets (wallet_id, kind) SELECT wallet_id, 0 FROM owner)
                SELECT wallet_id FROM owner UNION ALL SELECT wallet_id FROM wallet_owners WHERE email = $1 LIMIT 1
                """);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = email.Value });
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = WalletId.New().Value });
            if (await cmd.ExecuteScalarAsync(cancellationToken) is Guid wallet)
            {
                return new WalletId(wallet);
            }

            if (attempt > 0)
            {
                throw new DomainException(ErrorCodes.Unavailable, "The recipient's wallet could not be read; retry with the same idempotency key.");
            }
        }
    }
}
