namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>What the stand-in GraphQL server answers: an HTTP status and a JSON body.</summary>
public sealed record FakeResponse(int StatusCode, string Body)
{
    /// <summary>A successful tap result echoing the request's tap id.</summary>
    public static FakeResponse Tap(RecordedRequest request, string outcome = "APPROVED", long amount = 350) => new(
        200,
        $$$$"""{"data":{"tap":{"tapId":"{{{{request.TapId}}}}","outcome":"{{{{outcome}}}}","message":"ok","amount":{{{{amount}}}},"balances":[{"asset":"TLF","amount":1650},{"asset":"FED","amount":0}]}}}""");

    /// <summary>A GraphQL error with <c>extensions.code</c>, HTTP 200 as GraphQL.NET answers it.</summary>
    public static FakeResponse Error(string code) => new(
        200,
        $$$$"""{"errors":[{"message":"{{{{code}}}} from the test server","extensions":{"code":"{{{{code}}}}"}}],"data":{"tap":null}}""");

    /// <summary>A bare HTTP failure, as a proxy in front of a stopped server gives.</summary>
    public static FakeResponse Status(int statusCode) => new(statusCode, "");
}
