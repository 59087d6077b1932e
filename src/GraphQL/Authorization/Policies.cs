using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
namespace TiBillet.GraphQL.Authorization;

/// <summary>Who may use a root field. Venue-scoped roles are checked by <see cref="VenueAccess"/> once the venue is known.</summary>
public static class Policies
{
    /// <summary>Anyone, signed in or not (public agenda).</summary>
    public const string Public = "public";

    /// <summary>Any signed-in principal: staff, device or partner.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>A staff member signed in with a JWT.</summary>
    public const string Staff = "staff";

    /// <summary>The instance administrator.</summary>
    public const string InstanceAdmin = "instance-admin";

    /// <summary>A registered reader device.</summary>
    public const string Device = "device";

    /// <summary>A customer signed in by e-mail (their own wallet, cards and history only).</summary>
    public const string Customer = "customer";

    /// <summary>A staff member or a customer; the resolver narrows it (venue role, or the customer's own cards).</summary>
    public const string StaffOrCustomer = "staff-or-customer";

    /// <summary>A federated partner instance.</summary>
    public const string Partner = "partner";

    internal const string MetadataKey = "tibillet.policy";
}
