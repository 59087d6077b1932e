using Microsoft.Extensions.DependencyInjection;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Common;

/// <summary>
/// Anonymous callers cannot take the document cache from signed-in ones (tills, staff): a flood of distinct anonymous
/// queries neither evicts their documents nor keeps new ones from being kept. Its own silo, since it floods the cache.
/// </summary>
public sealed class DocumentCacheTests(SiloHostFixture silo) : IClassFixture<SiloHostFixture>
{
    private const string Till = "query($v: ID!, $p: ID!) { pointOfSale(venueId: $v, pointOfSaleId: $p) { name } }";

    private DocumentCache Cache => silo.Services.GetRequiredService<DocumentCache>();

    private async Task FloodAnonymouslyAsync(int documents)
    {
        var prefix = Guid.NewGuid().ToString("N");
        await Parallel.ForEachAsync(Enumerable.Range(0, documents), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken },
            async (i, _) =>
            {
                var response = await silo.PostAsync($"{{ instance {{ name }} }} # flood {prefix} {i}");
                Assert.Equal("TiBillet", response.Data()["instance"]!["name"]!.GetValue<string>());
            });
    }

    private async Task<string> TillQueryAsync(string admin)
    {
        var query = Till + $" # till {Guid.NewGuid():N}";
        Assert.Equal("NOT_FOUND", (await silo.PostAsync(query, new { v = "no-such-venue", p = "bar" }, admin)).ErrorCode());
        return query;
    }

    [Fact]
    public async Task A_signed_in_caller_s_document_is_kept_after_more_distinct_anonymous_documents_than_the_cache_holds()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var query = await TillQueryAsync(admin);
        Assert.True(Cache.Contains(query));

        await FloodAnonymouslyAsync(DocumentCache.Capacity + 50);

        Assert.True(Cache.Contains(query));
        Assert.Equal("NOT_FOUND", (await silo.PostAsync(query, new { v = "no-such-venue", p = "bar" }, admin)).ErrorCode());
    }

    [Fact]
    public async Task A_signed_in_caller_s_new_document_is_still_kept_after_an_anonymous_flood()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        await FloodAnonymouslyAsync(DocumentCache.Capacity + 50);

        var query = await TillQueryAsync(admin);

        Assert.True(Cache.Contains(query));
    }

    [Fact]
    public async Task Anonymous_documents_in_use_survive_a_flood_of_one_off_ones()
    {
        var query = $"{{ instance {{ name serverTime }} }} # public page {Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await silo.PostAsync(query)).Body["errors"]);
        }

        await FloodAnonymouslyAsync(DocumentCache.AnonymousCapacity * 3);

        Assert.True(Cache.Contains(query));
    }
}
