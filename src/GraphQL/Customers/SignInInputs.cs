namespace TiBillet.GraphQL.Customers;

/// <summary>The <c>requestSignIn</c> mutation's input.</summary>
public sealed record RequestSignInInput(string Email);

/// <summary>The <c>signIn</c> mutation's input: the e-mail and its mailed code, or the mailed link's token.</summary>
public sealed record SignInInput(string? Email, string? Code, string? Token);

/// <summary>A signed-in customer: send <see cref="Token"/> as <c>Authorization: Bearer …</c>.</summary>
public sealed record CustomerSession(string Token, DateTimeOffset ExpiresAt, string Email, bool FirstSignIn);
