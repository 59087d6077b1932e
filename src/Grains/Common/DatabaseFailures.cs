using Npgsql;

namespace TiBillet.Grains.Common;

/// <summary>
/// Which database failures mean "the database is unreachable right now" (the server died, restarts, refuses
/// connections), as opposed to a broken rule or a bug. The client answer for those is UNAVAILABLE: the operation may or
/// may not have committed, and a retry with the same idempotency key tells which.
/// </summary>
public static class DatabaseFailures
{
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when pg.IsTransient || IsConnectionState(SqlState(pg)):
                    return true;
                case PostgresException:
                    return false;
                // Not a server's answer: the connection could not be opened or broke mid-command.
                case NpgsqlException:
                    return true;
            }
        }

        return false;
    }

    // Class 08 (connection lost) and 57P (server shut down, crashed, starting up). A PostgresException that crossed
    // silos keeps its SQLSTATE only in Data (Orleans restores the base exception's fields, not Npgsql's own).
    private static bool IsConnectionState(string? state) =>
        state is null || state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal);

    private static string? SqlState(PostgresException pg) => pg.SqlState ?? pg.Data["SqlState"] as string;
}
