namespace TiBillet.ReaderAgent.Taps;

/// <summary>The outcome values of the server's tap result that the agent tells apart.</summary>
public static class TapOutcomes
{
    public const string Approved = "APPROVED";
    public const string Declined = "DECLINED";
    public const string ToppedUp = "TOPPED_UP";
    public const string Balance = "BALANCE";
    public const string TillOpened = "TILL_OPENED";
    public const string TillClosed = "TILL_CLOSED";
    public const string Refused = "REFUSED";
    public const string UnknownCard = "UNKNOWN_CARD";
    public const string CheckedIn = "CHECKED_IN";

    /// <summary>
    /// True for outcomes the holder may take as "done". An outcome this agent does not know signals as negative: a
    /// customer wrongly told "paid" costs more than one told to ask.
    /// </summary>
    public static bool IsPositive(string outcome) => outcome is Approved or ToppedUp or Balance or TillOpened or TillClosed or CheckedIn;
}
