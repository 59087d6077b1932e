using Microsoft.Extensions.DependencyInjection;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Common;

/// <summary>
/// A kept document is validated from its plan (variables coerced, arguments parsed, without GraphQL.NET's walks), and
/// refuses bad values exactly as a fresh document does: same codes, messages and locations.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class CachedDocumentValidatorTests(TestFieldsSiloFixture silo)
{
    private const string PointOfSale = "query($v: ID!, $p: ID!) { pointOfSale(venueId: $v, pointOfSaleId: $p) { name } }";

    private CachedDocumentValidator Validator => silo.Services.GetRequiredService<CachedDocumentValidator>();

    private static string Fresh(string query) => query + $" # {Guid.NewGuid():N}";

    [Fact]
    public async Task A_kept_document_is_validated_from_its_plan()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var query = Fresh(PointOfSale);
        var first = await silo.PostAsync(query, new { v = "no-such-venue", p = "bar" }, admin);
        var before = Validator.PlannedValidations;

        var second = await silo.PostAsync(query, new { v = "no-such-venue", p = "bar" }, admin);

        Assert.Equal(before + 1, Validator.PlannedValidations);
        Assert.Equal("NOT_FOUND", first.ErrorCode());
        Assert.Equal(first.Body.ToJsonString(), second.Body.ToJsonString());
    }

    [Fact]
    public async Task An_argument_validator_refuses_each_request_s_value_on_a_kept_document()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var query = Fresh(PointOfSale);
        Assert.Equal("NOT_FOUND", (await silo.PostAsync(query, new { v = "no-such-venue", p = "bar" }, admin)).ErrorCode());
        var uncached = await silo.PostAsync(Fresh(PointOfSale), new { v = "not a venue id!", p = "bar" }, admin);
        var before = Validator.PlannedValidations;

        var cached = await silo.PostAsync(query, new { v = "not a venue id!", p = "bar" }, admin);

        Assert.Equal(before + 1, Validator.PlannedValidations);
        Assert.Equal("INVALID_VALUE", uncached.ErrorCode());
        Assert.Null(cached.Body["data"]);
        Assert.Equal(uncached.Body["errors"]!.ToJsonString(), cached.Body["errors"]!.ToJsonString());
    }

    [Fact]
    public async Task A_nullable_variable_with_a_default_is_still_refused_null_where_the_argument_needs_a_value()
    {
        // Allowed by the rules because of the default; an explicit null must still be refused, which needs the
        // variable's usages (the part of GraphQL.NET's walk the plan's contexts keep).
        const string Query = "query($v: ID = \"no-such-venue\", $p: ID!) { pointOfSale(venueId: $v, pointOfSaleId: $p) { name } }";
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var query = Fresh(Query);
        Assert.Equal("NOT_FOUND", (await silo.PostAsync(query, new { p = "bar" }, admin)).ErrorCode());
        var uncached = await silo.PostAsync(Fresh(Query), new { v = (string?)null, p = "bar" }, admin);
        var before = Validator.PlannedValidations;

        var cached = await silo.PostAsync(query, new { v = (string?)null, p = "bar" }, admin);

        Assert.Equal(before + 1, Validator.PlannedValidations);
        Assert.Equal("INVALID_VALUE", uncached.ErrorCode());
        Assert.Equal(uncached.Body["errors"]!.ToJsonString(), cached.Body["errors"]!.ToJsonString());
    }

    [Fact]
    public async Task Concurrent_requests_on_a_kept_document_each_get_their_own_variables_checked()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var query = Fresh(PointOfSale);
        Assert.Equal("NOT_FOUND", (await silo.PostAsync(query, new { v = "no-such-venue", p = "bar" }, admin)).ErrorCode());
        var before = Validator.PlannedValidations;

        // Even requests carry a valid venue id (NOT_FOUND from the grain), odd ones a malformed one (refused in validation).
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            silo.PostAsync(query, new { v = i % 2 == 0 ? $"no-such-venue-{i}" : $"bad id {i}!", p = "bar" }, admin)));

        Assert.Equal(before + 40, Validator.PlannedValidations);
        for (var i = 0; i < responses.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? "NOT_FOUND" : "INVALID_VALUE", responses[i].ErrorCode());
        }
    }

    [Fact]
    public async Task A_document_with_fragments_is_validated_in_full_every_time()
    {
        const string Query = "query($v: ID!, $p: ID!) { ...Till } fragment Till on Query { pointOfSale(venueId: $v, pointOfSaleId: $p) { name } }";
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var query = Fresh(Query);
        Assert.Equal("NOT_FOUND", (await silo.PostAsync(query, new { v = "no-such-venue", p = "bar" }, admin)).ErrorCode());
        var before = Validator.PlannedValidations;

        var refused = await silo.PostAsync(query, new { v = "not a venue id!", p = "bar" }, admin);

        Assert.Equal(before, Validator.PlannedValidations);
        Assert.Equal("INVALID_VALUE", refused.ErrorCode());
    }
}
