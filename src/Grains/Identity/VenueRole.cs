namespace TiBillet.Grains.Identity;

/// <summary>What a staff member may do at one venue. Ordered: a higher role includes the lower ones.</summary>
public enum VenueRole
{
    Viewer = 0,
    Cashier = 1,
    Admin = 2,
}
