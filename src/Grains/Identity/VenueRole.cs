namespace TiBillet.Grains.Identity;

/// <summary>What a staff member may do at one venue. Ordered: a higher role includes the lower ones.</summary>
public enum VenueRole
{
    Viewer = 0,
    Cashier = 1,

    /// <summary>Voids lines and closes the till's day, besides selling.</summary>
    Manager = 2,
    Admin = 3,
}
