using TiBillet.Grains.Common;

namespace TiBillet.Grains.Tests.Support;

public static class DomainAssert
{
    /// <summary>Asserts that <paramref name="call"/> throws a <see cref="DomainException"/> with <paramref name="code"/>.</summary>
    public static async Task<DomainException> ThrowsAsync(string code, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<DomainException>(call);
        Assert.Equal(code, ex.Code);
        return ex;
    }

    public static DomainException Throws(string code, Action call)
    {
        var ex = Assert.Throws<DomainException>(call);
        Assert.Equal(code, ex.Code);
        return ex;
    }
}
