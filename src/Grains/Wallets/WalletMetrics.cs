using System.Diagnostics.Metrics;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// The wallets' meter ("TiBillet.Wallets", exported with the other TiBillet meters on <c>/metrics</c>). It counts the
/// rare event operators want to see: a wallet activation that found another one had written since it loaded.
/// </summary>
public static class WalletMetrics
{
    public const string MeterName = "TiBillet.Wallets";

    /// <summary>Wallet activations that stepped aside after the database refused their sequence number (counter).</summary>
    public const string StaleActivations = "tibillet.wallet.stale_activations";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Stale =
        Meter.CreateCounter<long>(StaleActivations, "{activation}", "Wallet activations refused by the database as stale and unloaded");

    internal static void StaleActivation() => Stale.Add(1);
}
