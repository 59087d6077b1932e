using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Customers;

/// <summary>A silo with tight per-e-mail limits (3 sign-ins, 3 failed logins an hour) and loose per-address ones.</summary>
public sealed class EmailThrottleFixture : SiloHostFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("SignInThrottleOptions:PerEmailLimit", "3"),
        new("SignInThrottleOptions:PerEmailPeriod", "01:00:00"),
        new("SignInThrottleOptions:FailedLoginsPerEmail", "3"),
        new("SignInThrottleOptions:FailedLoginPeriod", "01:00:00"),
        new("SignInThrottleOptions:MaxSignInFieldsPerRequest", "2"),
    ];
}

/// <summary>A silo with tight per-address limits (4 sign-ins, 4 failed logins an hour) and loose per-e-mail ones.</summary>
public sealed class AddressThrottleFixture : SiloHostFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("SignInThrottleOptions:PerAddressLimit", "4"),
        new("SignInThrottleOptions:PerAddressPeriod", "01:00:00"),
        new("SignInThrottleOptions:FailedLoginsPerAddress", "4"),
        new("SignInThrottleOptions:FailedLoginPeriod", "01:00:00"),
        new("SignInThrottleOptions:PerEmailLimit", "1000"),
        new("SignInThrottleOptions:FailedLoginsPerEmail", "1000"),
    ];
}
