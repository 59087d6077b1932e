using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using TiBillet.Grains.Common;
using TiBillet.Testing;

namespace TiBillet.Silo.Tests.Database;

/// <summary>Drives the ADO.NET grain storage and reminder table through our SQL, as Orleans does.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OrleansStorageContractTests(ClusterFixture fixture)
{
    private IServiceProvider Silo => fixture.Cluster.Silos[0].ServiceProvider;

    private IGrainStorage Storage => Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.Configuration);

    private static GrainId NewGrain(string type = "contract") => GrainId.Create(type, Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task State_is_inserted_updated_and_read_back_with_moving_etags()
    {
        var grain = NewGrain();
        var state = new GrainState<List<string>>(["first"]);

        await Storage.WriteStateAsync("contractState", grain, state);
        var afterInsert = state.ETag;
        state.State = ["second"];
        await Storage.WriteStateAsync("contractState", grain, state);

        var read = new GrainState<List<string>>([]);
        await Storage.ReadStateAsync("contractState", grain, read);
        Assert.Equal(["second"], read.State);
        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.NotEqual(afterInsert, state.ETag);
    }

    [Fact]
    public async Task A_stale_etag_is_refused_and_the_stored_state_is_unchanged()
    {
        var grain = NewGrain();
        var current = new GrainState<List<string>>(["v1"]);
        await Storage.WriteStateAsync("contractState", grain, current);
        var stale = new GrainState<List<string>>(["stale"]) { ETag = current.ETag };
        current.State = ["v2"];
        await Storage.WriteStateAsync("contractState", grain, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("contractState", grain, stale));

        var read = new GrainState<List<string>>([]);
        await Storage.ReadStateAsync("contractState", grain, read);
        Assert.Equal(["v2"], read.State);
    }

    [Fact]
    public async Task A_second_first_write_of_the_same_grain_is_refused()
    {
        var grain = NewGrain();
        await Storage.WriteStateAsync("contractState", grain, new GrainState<List<string>>(["winner"]));

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("contractState", grain, new GrainState<List<string>>(["loser"])));
    }

    [Fact]
    public async Task Equal_keys_under_different_state_names_are_separate_rows()
    {
        var grain = NewGrain();
        await Storage.WriteStateAsync("stateA", grain, new GrainState<List<string>>(["a"]));
        await Storage.WriteStateAsync("stateB", grain, new GrainState<List<string>>(["b"]));

        var a = new GrainState<List<string>>([]);
        await Storage.ReadStateAsync("stateA", grain, a);
        Assert.Equal(["a"], a.State);
    }

    [Fact]
    public async Task Clearing_keeps_no_state_and_a_later_write_succeeds()
    {
        var grain = NewGrain();
        var state = new GrainState<List<string>>(["x"]);
        await Storage.WriteStateAsync("contractState", grain, state);

        await Storage.ClearStateAsync("contractState", grain, state);
        var read = new GrainState<List<string>>(["untouched"]);
        await Storage.ReadStateAsync("contractState", grain, read);
        Assert.False(read.RecordExists);

        read.State = ["again"];
        await Storage.WriteStateAsync("contractState", grain, read);
        var final = new GrainState<List<string>>([]);
        await Storage.ReadStateAsync("contractState", grain, final);
        Assert.Equal(["again"], final.State);
    }

    [Fact]
    public async Task Reminders_are_upserted_read_by_grain_and_range_and_removed_only_with_the_current_etag()
    {
        var table = Silo.GetRequiredService<IReminderTable>();
        var ct = TestContext.Current.CancellationToken;
        var grain = NewGrain("reminded");
        var entry = new ReminderEntry { GrainId = grain, ReminderName = "tick", StartAt = DateTime.UtcNow, Period = TimeSpan.FromDays(40) };

        var etag1 = await table.UpsertRow(entry, ct);
        var etag2 = await table.UpsertRow(entry, ct);
        Assert.NotEqual(etag1, etag2);

        var row = await table.ReadRow(grain, "tick", ct);
        Assert.Equal(TimeSpan.FromDays(40), row!.Period);
        Assert.Single((await table.ReadRows(grain, ct)).Reminders);
        var hash = grain.GetUniformHashCode();
        Assert.Contains((await table.ReadRows(hash - 1, hash, ct)).Reminders, r => r.GrainId == grain);
        Assert.Contains((await table.ReadRows(hash, hash, ct)).Reminders, r => r.GrainId == grain);

        Assert.False(await table.RemoveRow(grain, "tick", etag1!, ct));
        Assert.True(await table.RemoveRow(grain, "tick", etag2!, ct));
        Assert.Null(await table.ReadRow(grain, "tick", ct));
    }
}
