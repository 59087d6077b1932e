namespace TiBillet.Grains.Ledger;

/// <summary>What a ledger operation is. Stored as smallint: values are frozen, new kinds go last.</summary>
public enum TransactionKind : short
{
    /// <summary>Issuing money: from an asset's mint wallet.</summary>
    Creation = 0,

    /// <summary>Top-up at a counter (cash or bank card), from the asset's mint.</summary>
    Refill = 1,

    /// <summary>A card pays a venue.</summary>
    Sale = 2,

    /// <summary>Part of a card's refundable balance given back at a counter.</summary>
    Refund = 3,

    /// <summary>A card emptied at a counter: local assets burned, FED owed to the venue.</summary>
    Void = 4,

    /// <summary>Wallet-to-wallet transfer.</summary>
    Transfer = 5,

    /// <summary>An anonymous card's balances moved into the user's wallet when it is linked to an e-mail.</summary>
    Fusion = 6,

    /// <summary>A punch-clock badge event (amount 0).</summary>
    Badge = 7,

    /// <summary>Time currency granted by its venue.</summary>
    TimeGrant = 8,

    /// <summary>An administrative correction: a new movement, never an edit.</summary>
    Correction = 9,

    /// <summary>A QR-code or online sale (reserved for the ticketing issue).</summary>
    QrSale = 10,

    /// <summary>A membership subscription (reserved for the memberships issue).</summary>
    Subscription = 11,

    /// <summary>A venue paid out by the network (reserved for the payments issue).</summary>
    Deposit = 12,

    /// <summary>FED given back to the card that bought it through Stripe: out of the customer's wallet, back to the FED mint.</summary>
    OnlineRefund = 13,
}

/// <summary>Who a wallet belongs to. Stored as smallint in <c>ledger_wallets.kind</c>; values are frozen.</summary>
public enum WalletKind : short
{
    /// <summary>A user's wallet (cards linked to an e-mail).</summary>
    User = 0,

    /// <summary>The ephemeral wallet of an anonymous card.</summary>
    Card = 1,

    /// <summary>A venue's wallet: credited by sales, as deltas in ledger batches.</summary>
    Venue = 2,

    /// <summary>An asset's mint: the issuer, the only wallet that may go negative.</summary>
    Mint = 3,
}

/// <summary>How the part of a payment not covered by a card was (or money given back is) settled.</summary>
public enum PaymentMeans : short
{
    None = 0,
    Cash = 1,
    BankCard = 2,
    SecondCard = 3,
    Online = 4,
}
