namespace TiBillet.Grains.Closures;

/// <summary>
/// A venue's till day, keyed by its venue id: its settings, its cashier sessions and its Z closures, numbered one after the
/// other. The single writer of closure numbers and periods; never on the sale path. NOT_FOUND for an unknown venue.
/// </summary>
[Alias("TiBillet.Grains.Closures.ITillDayGrain")]
public interface ITillDayGrain : IGrainWithStringKey
{
    /// <summary>The venue's settings (defaults until set).</summary>
    [Alias("GetSettingsAsync")]
    Task<TillSettings> GetSettingsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes the settings; with <see cref="TillSettings.AutoClose"/>, a closure is taken at each day turn by a reminder.
    /// BAD_USER_INPUT for an unknown time zone.
    /// </summary>
    [Alias("SaveSettingsAsync")]
    Task<TillSettings> SaveSettingsAsync(TillSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Opens a cashier session with a cash float. BAD_USER_INPUT for a negative float; CONFLICT when the user has one open here.</summary>
    [Alias("OpenSessionAsync")]
    Task<CashierSession> OpenSessionAsync(string pointOfSale, Guid user, long openingFloat, CancellationToken cancellationToken = default);

    /// <summary>Closes the user's open session with the cash counted. BAD_USER_INPUT for a negative count; NOT_FOUND when none is open.</summary>
    [Alias("CloseSessionAsync")]
    Task<CashierSession> CloseSessionAsync(Guid user, long countedCash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a Z closure: the report from the previous closure's end (or the beginning) until now, less the settle margin,
    /// stored for good. Several per business day are allowed. Returns the closure.
    /// </summary>
    [Alias("CloseAsync")]
    Task<TillClosure> CloseAsync(string closedBy, bool automatic = false, CancellationToken cancellationToken = default);
}
