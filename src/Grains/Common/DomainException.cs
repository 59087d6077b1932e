namespace TiBillet.Grains.Common;

/// <summary>
/// The one exception grains throw for a broken business rule. <see cref="Code"/> is one of <see cref="ErrorCodes"/>;
/// the API turns it into a GraphQL error with that code and this message.
/// </summary>
[GenerateSerializer, Alias("TiBillet.Grains.Common.DomainException")]
public sealed class DomainException : Exception
{
    public DomainException(string code, string message) : base(message) => Code = code;

    public DomainException() : this(ErrorCodes.Internal, "Domain error")
    {
    }

    public DomainException(string message) : this(ErrorCodes.BadUserInput, message)
    {
    }

    public DomainException(string message, Exception innerException) : base(message, innerException) => Code = ErrorCodes.Internal;

    /// <summary>One of <see cref="ErrorCodes"/>.</summary>
    [Id(0)]
    public string Code { get; }
}
