using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Common;
using TiBillet.Grains.Identity;
using TiBillet.Grains.PointOfSale;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
using TiBillet.GraphQL.Throttling;

namespace TiBillet.GraphQL.Identity;

/// <summary>Sign-in, staff accounts and roles, device and partner keys.</summary>
public sealed class IdentityMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<LoginResultGraphType>>("login")
            .Description("Exchanges a staff e-mail and login secret for a bearer token. UNAUTHENTICATED when they do not match; RATE_LIMITED after " +
                         "too many failures for the e-mail or from the address (extensions.retryAfter says when to try again).")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("secret")
            .RequirePolicy(Policies.Public)
            .ResolveAsync(async context =>
            {
                var email = context.GetArgument<string>("email");
                var throttle = context.Service<SignInThrottle>();
                throttle.CheckLogin(email);
                var identity = context.RequestServices!.GetRequiredService<IdentityStore>();
                var user = await identity.VerifyLoginAsync(email, context.GetArgument<string>("secret"), context.CancellationToken);
                if (user is null)
                {
                    throttle.LoginFailed(email);
                    throw new DomainException(ErrorCodes.Unauthenticated, "Unknown e-mail or wrong secret.");
                }

                var (token, expires) = context.RequestServices!.GetRequiredService<TokenIssuer>().Issue(user);
                return new LoginResult(token, expires, user);
            });

        mutation.Field<NonNullGraphType<IdGraphType>>("rotateSigningKey")
            .Description("Creates a new JWT signing key and returns its id (instance admin). New tokens are signed with it (on other silos within "
                         + "GraphQLApiOptions:SigningKeyRefresh); tokens signed with older keys stay valid until they expire.")
            .RequirePolicy(Policies.InstanceAdmin)
            .ResolveAsync(async context => await context.Service<SigningKeyProvider>().RotateAsync(context.CancellationToken));

        mutation.Field<NonNullGraphType<StaffUserGraphType>>("createUser")
            .Description("Creates a staff account (instance admin only). CONFLICT if the e-mail exists.")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Argument<NonNullGraphType<StringGraphType>>("secret")
            .RequirePolicy(Policies.InstanceAdmin)
            .ResolveAsync(async context => await context.RequestServices!.GetRequiredService<IdentityStore>()
                .CreateUserAsync(context.GetArgument<string>("email"), context.GetArgument<string>("secret"), isInstanceAdmin: false, context.CancellationToken));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("grantVenueRole")
            .Description("Gives a user a role at a venue (venue ADMIN or instance admin). NOT_FOUND for an unknown user.")
            .Argument<NonNullGraphType<GuidGraphType>>("userId")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<VenueRoleGraphType>>("role")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async context =>
            {
                var venueId = context.GetArgument<string>("venueId");
                await context.RequestServices!.GetRequiredService<VenueAccess>().RequireAsync(context.User!, venueId, VenueRole.Admin, context.CancellationToken);
                await context.RequestServices!.GetRequiredService<IdentityStore>()
                    .GrantVenueRoleAsync(context.GetArgument<Guid>("userId"), venueId, context.GetArgument<VenueRole>("role"), context.CancellationToken);
                return true;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("revokeVenueRole")
            .Description("Removes a user's role at one venue; other venues are untouched.")
            .Argument<NonNullGraphType<GuidGraphType>>("userId")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async context =>
            {
                var venueId = context.GetArgument<string>("venueId");
                await context.RequestServices!.GetRequiredService<VenueAccess>().RequireAsync(context.User!, venueId, VenueRole.Admin, context.CancellationToken);
                await context.RequestServices!.GetRequiredService<IdentityStore>()
                    .RevokeVenueRoleAsync(context.GetArgument<Guid>("userId"), venueId, context.CancellationToken);
                return true;
            });

        mutation.Field<NonNullGraphType<IssuedKeyGraphType>>("registerDevice")
            .Description("Registers a reader device for one existing point of sale (venue ADMIN). The key is returned once. NOT_FOUND for an unknown point of sale.")
            .Argument<NonNullGraphType<IdGraphType>>("venueId")
            .Argument<NonNullGraphType<IdGraphType>>("pointOfSaleId")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async context =>
            {
                var pointOfSale = PointOfSaleId.Parse(context.GetArgument<string>("venueId"), context.GetArgument<string>("pointOfSaleId"));
                await context.RequireVenueRoleAsync(pointOfSale.Venue, VenueRole.Admin);
                // The till must exist: a device bound to nothing would be refused on every tap.
                await context.Grains().GetPointOfSale(pointOfSale).GetDetailsAsync(context.CancellationToken);
                return await context.Service<IdentityStore>()
                    .RegisterDeviceAsync(pointOfSale.Venue.Value, pointOfSale.Code, context.GetArgument<string>("name"), context.CancellationToken);
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("revokeDevice")
            .Description("Revokes a device key, effective on its next request. NOT_FOUND for an unknown or revoked device.")
            .Argument<NonNullGraphType<GuidGraphType>>("deviceId")
            .RequirePolicy(Policies.Staff)
            .ResolveAsync(async context =>
            {
                var identity = context.RequestServices!.GetRequiredService<IdentityStore>();
                var device = await identity.FindDeviceAsync(context.GetArgument<Guid>("deviceId"), context.CancellationToken)
                             ?? throw new DomainException(ErrorCodes.NotFound, "No active device with this id.");
                await context.RequestServices!.GetRequiredService<VenueAccess>().RequireAsync(context.User!, device.VenueId, VenueRole.Admin, context.CancellationToken);
                await identity.RevokeDeviceAsync(device.DeviceId, context.CancellationToken);
                context.Service<CredentialAuthenticator>().Forget(TiBilletClaims.DeviceId, device.DeviceId);
                return true;
            });

        mutation.Field<NonNullGraphType<IssuedKeyGraphType>>("createPartner")
            .Description("Creates a key for a federated partner instance (instance admin). The key is returned once.")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .RequirePolicy(Policies.InstanceAdmin)
            .ResolveAsync(async context => await context.RequestServices!.GetRequiredService<IdentityStore>()
                .CreatePartnerAsync(context.GetArgument<string>("name"), context.CancellationToken));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("revokePartner")
            .Description("Revokes a partner key (instance admin).")
            .Argument<NonNullGraphType<GuidGraphType>>("partnerId")
            .RequirePolicy(Policies.InstanceAdmin)
            .ResolveAsync(async context =>
            {
                var partnerId = context.GetArgument<Guid>("partnerId");
                await context.Service<IdentityStore>().RevokePartnerAsync(partnerId, context.CancellationToken);
                context.Service<CredentialAuthenticator>().Forget(TiBilletClaims.PartnerId, partnerId);
                return true;
            });
    }
}
