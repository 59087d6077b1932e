using GraphQL.Types;
using TiBillet.Grains.Wallets;

namespace TiBillet.GraphQL.Wallets;

public sealed class DeclineReasonGraphType : EnumerationGraphType<DeclineReason>
{
    public DeclineReasonGraphType() => Name = "DeclineReason";
}
