namespace TiBillet.Grains.Reservations;

/// <summary>Reservation settings (section <c>ReservationOptions</c>).</summary>
public sealed class ReservationOptions
{
    /// <summary>How long seats are held for an unconfirmed reservation, unless its event says otherwise.</summary>
    public TimeSpan DefaultHold { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often an event with holds looks for expired ones.</summary>
    public TimeSpan ExpiryScan { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Where a free reservation's e-mailed link points: <c>{LinkBaseUrl}/reservations/confirm?token=…</c>.</summary>
    public string LinkBaseUrl { get; set; } = "http://127.0.0.1:5080";
}
