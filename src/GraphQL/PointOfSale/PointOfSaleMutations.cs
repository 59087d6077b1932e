using System.Collections.Immutable;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Wallets;

namespace TiBillet.GraphQL.PointOfSale;

/// <summary>Points of sale: creation (venue ADMIN), what the next tap does (screens), and the tap itself (reader devices).</summary>
public sealed class PointOfSaleMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PointOfSaleGraphType>>("createPointOfSale")
            .Description("Creates a point of sale, its till closed, as a SALE counter unless mode says DOOR (venue ADMIN). Idempotent for the same name and mode; " +
                         "NOT_FOUND for an unknown venue; CONFLICT under another name or mode.")
            .Argument<NonNullGraphType<CreatePointOfSaleInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<CreatePointOfSaleInput>("input");
                var id = PointOfSaleId.Parse(input.VenueId, input.PointOfSaleId);
                await context.RequestServices!.GetRequiredService<VenueAccess>()
                    .RequireAsync(context.User!, id.Venue.Value, VenueRole.Admin, context.CancellationToken);
                return await Grains(context).GetPointOfSale(id)
                    .CreateAsync(new CreatePointOfSaleRequest(input.Name, input.Mode ?? PointOfSaleMode.Sale), context.CancellationToken);
            });

        mutation.Field<NonNullGraphType<PointOfSaleGraphType>>("setPointOfSaleMode")
            .Description("Sets what customer taps do at a till (venue ADMIN): SALE, or DOOR to check card holders in for the event under way. " +
                         "A change drops the pending request; the same mode again changes nothing. NOT_FOUND for a point of sale never created.")
            .Argument<NonNullGraphType<SetPointOfSaleModeInputGraphType>>("input")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<SetPointOfSaleModeInput>("input");
                var id = PointOfSaleId.Parse(input.VenueId, input.PointOfSaleId);
                await context.RequestServices!.GetRequiredService<VenueAccess>()
                    .RequireAsync(context.User!, id.Venue.Value, VenueRole.Admin, context.CancellationToken);
                return await Grains(context).GetPointOfSale(id).SetModeAsync(input.Mode, context.CancellationToken);
            });

        mutation.Field<NonNullGraphType<PointOfSaleGraphType>>("requestPayment")
            .Description("Makes a basket (or an amount) the payment the next customer tap pays, replacing any pending request (venue CASHIER, or this till's device). "
                         + "The total is at most MoneyLimitsOptions:MaxSale.")
            .Argument<NonNullGraphType<RequestPaymentInputGraphType>>("input")
            .RequirePolicy(Policies.Authenticated)
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<RequestPaymentInput>("input");
                var id = PointOfSaleId.Parse(input.VenueId, input.PointOfSaleId);
                await PointOfSaleAccess.RequireStaffOrDeviceAsync(context, id, VenueRole.Cashier);
                ImmutableArray<SaleLine> lines = (input.Lines, input.Amount) switch
                {
                    ({ Count: > 0 } basket, null) => [.. basket.Select(l => l.ToSaleLine())],
                    (null or { Count: 0 }, { } amount) => [new SaleLine("Amount", 1, amount)],
                    _ => throw new DomainException(ErrorCodes.BadUserInput, "Send either basket lines or an amount."),
                };
                context.RequireBasketWithinLimit(lines);
                return await Grains(context).GetPointOfSale(id).RequestPaymentAsync(new RequestPaymentRequest(lines), context.CancellationToken);
            });

        mutation.Field<NonNullGraphType<PointOfSaleGraphType>>("requestTopUp")
            .Description("Makes a top-up, paid at the counter, what the next customer tap credits, replacing any pending request (venue CASHIER, or this till's device). "
                         + "At most MoneyLimitsOptions:MaxTopUp.")
            .Argument<NonNullGraphType<RequestTopUpInputGraphType>>("input")
            .RequirePolicy(Policies.Authenticated)
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<RequestTopUpInput>("input");
                var id = PointOfSaleId.Parse(input.VenueId, input.PointOfSaleId);
                await PointOfSaleAccess.RequireStaffOrDeviceAsync(context, id, VenueRole.Cashier);
                context.RequireWithinLimit(input.Amount, o => o.MaxTopUp, "A top-up");
                return await Grains(context).GetPointOfSale(id)
                    .RequestTopUpAsync(new RequestTopUpRequest(input.Amount, input.Means), context.CancellationToken);
            });

        mutation.Field<NonNullGraphType<PointOfSaleGraphType>>("cancelPendingRequest")
            .Description("Drops the pending payment or top-up, if any (venue CASHIER, or this till's device).")
            .PointOfSaleArguments()
            .RequirePolicy(Policies.Authenticated)
            .ResolveAsync(async context =>
            {
                var id = PointOfSaleInputFields.IdFromArguments(context);
                await PointOfSaleAccess.RequireStaffOrDeviceAsync(context, id, VenueRole.Cashier);
                return await Grains(context).GetPointOfSale(id).CancelPendingRequestAsync(context.CancellationToken);
            });

        mutation.Field<NonNullGraphType<TapResultGraphType>>("tap")
            .Description("A card read by one of the calling device's readers; the device's point of sale decides what it means. "
                         + "Declines, refusals and unknown cards are results. A retry with the same tapId acts at most once and returns the first result. " +
                         "At a DOOR till the tap checks the card holder in (outcome CHECKED_IN, or why not) and never moves money.")
            .Argument<NonNullGraphType<TapInputGraphType>>("input")
            .RequirePolicy(Policies.Device)
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<TapInput>("input");
                var id = PointOfSaleAccess.DeviceOf(context.User!);
                return await Grains(context).GetPointOfSale(id)
                    .TapAsync(new TapRequest(input.TapId, input.ReaderName, input.Uid), context.CancellationToken);
            });
    }

    private static IGrainFactory Grains(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<IGrainFactory>();
}
