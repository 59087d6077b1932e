using GraphQL.Types;

namespace TiBillet.GraphQL.Identity;

public sealed class LoginResultGraphType : ObjectGraphType<LoginResult>
{
    public LoginResultGraphType()
    {
        Name = "LoginResult";
        Field(x => x.Token);
        Field(x => x.ExpiresAt);
        Field(x => x.User, type: typeof(NonNullGraphType<StaffUserGraphType>));
    }
}
