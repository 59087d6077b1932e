namespace TiBillet.ReaderAgent.Taps;

/// <summary>The server's answer to a tap (<c>tap { tapId outcome message amount balances { asset amount } }</c>).</summary>
/// <param name="Outcome">The schema's enum value, e.g. APPROVED or DECLINED (see <see cref="TapOutcomes"/>).</param>
/// <param name="Amount">Cents moved, when the tap moved money.</param>
public sealed record TapResult(string TapId, string Outcome, string? Message, long? Amount, IReadOnlyList<TapBalance> Balances);
