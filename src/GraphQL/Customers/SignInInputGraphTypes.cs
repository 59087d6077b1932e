using GraphQL.Types;

namespace TiBillet.GraphQL.Customers;

public sealed class RequestSignInInputGraphType : InputObjectGraphType<RequestSignInInput>
{
    public RequestSignInInputGraphType()
    {
        Name = "RequestSignInInput";
        Field<NonNullGraphType<StringGraphType>>("email");
    }
}

public sealed class SignInInputGraphType : InputObjectGraphType<SignInInput>
{
    public SignInInputGraphType()
    {
        Name = "SignInInput";
        Description = "Give email and code (from the mail), or token (from the mailed link).";
        Field<StringGraphType>("email");
        Field<StringGraphType>("code").Description("The six-digit code of the mail.");
        Field<StringGraphType>("token").Description("The token of the mailed link (its token= parameter).");
    }
}

public sealed class CustomerSessionGraphType : ObjectGraphType<CustomerSession>
{
    public CustomerSessionGraphType()
    {
        Name = "CustomerSession";
        Description = "A customer token: send it as Authorization: Bearer <token>.";
        Field(x => x.Token);
        Field(x => x.ExpiresAt);
        Field(x => x.Email);
        Field(x => x.FirstSignIn).Description("True when this sign-in made the account (sign-up).");
    }
}
