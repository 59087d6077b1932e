using GraphQL;
using GraphQL.Types;
using TiBillet.Grains.Common;
using TiBillet.Grains.Customers;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
using TiBillet.GraphQL.Identity;
using TiBillet.GraphQL.Throttling;

namespace TiBillet.GraphQL.Customers;

/// <summary>Customers' password-less sign-in by e-mail.</summary>
public sealed class CustomerMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation)
    {
        mutation.Field<NonNullGraphType<BooleanGraphType>>("requestSignIn")
            .Description("Mails a one-time sign-in code and link to the e-mail (good once, for 15 minutes). Always true, whether or not an account " +
                         "exists: the answer tells nothing about the e-mail. BAD_USER_INPUT for a malformed e-mail; RATE_LIMITED when asked too often.")
            .Argument<NonNullGraphType<RequestSignInInputGraphType>>("input")
            .RequirePolicy(Policies.Public)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RequestSignInInput>("input");
                c.Service<SignInThrottle>().SpendSignIn(input.Email);
                await c.Service<CustomerSignIn>().RequestAsync(EmailAddress.Parse(input.Email), c.CancellationToken);
                return true;
            });

        mutation.Field<NonNullGraphType<CustomerSessionGraphType>>("signIn")
            .Description("Exchanges a mailed code (with its e-mail) or a mailed link's token for a customer token; the first sign-in of an e-mail " +
                         "makes its account. UNAUTHENTICATED for a wrong, expired or used code or token; RATE_LIMITED when tried too often.")
            .Argument<NonNullGraphType<SignInInputGraphType>>("input")
            .RequirePolicy(Policies.Public)
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<SignInInput>("input");
                var signIn = c.Service<CustomerSignIn>();
                CustomerAccount? account;
                if (input is { Token: { } token, Email: null, Code: null })
                {
                    c.Service<SignInThrottle>().SpendSignIn(null);
                    account = await signIn.SignInWithTokenAsync(token, c.CancellationToken);
                }
                else if (input is { Token: null, Email: { } email, Code: { } code })
                {
                    c.Service<SignInThrottle>().SpendSignIn(email);
                    account = EmailAddress.TryParse(email, out var address)
                        ? await signIn.SignInWithCodeAsync(address, code.Trim(), c.CancellationToken)
                        : null;
                }
                else
                {
                    throw new DomainException(ErrorCodes.BadUserInput, "Give email and code, or token.");
                }

                if (account is null)
                {
                    throw new DomainException(ErrorCodes.Unauthenticated, "This code or link is wrong, expired or already used.");
                }

                var (bearer, expires) = c.Service<TokenIssuer>().IssueCustomer(account.Email);
                return new CustomerSession(bearer, expires, account.Email.Value, account.FirstSignIn);
            });
    }
}
