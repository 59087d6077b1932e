using TiBillet.Testing;
using static TiBillet.GraphQL.Tests.Catalog.CatalogApi;
using static TiBillet.GraphQL.Tests.Orders.OrderApi;
using static TiBillet.GraphQL.Tests.Till.TillApi;

namespace TiBillet.GraphQL.Tests.Orders;

public sealed class OrderRestartTests
{
    [Fact]
    public async Task An_open_order_outlives_a_silo_restart_with_its_lines_statuses_and_payments()
    {
        var silo = new TestFieldsSiloFixture();
        await silo.InitializeAsync();
        try
        {
            var net = await CashlessNetwork.CreateAsync(silo.Client);
            var burger = await ProductAsync(net, await CategoryAsync(net, "Food", 1000, "kitchen"), "Burger", 1200);
            var order = await AddAsync(net, Id(await OpenAsync(net, "t1")), Line(burger, 1), Line(burger, 2));
            await LinesAsync(net, "sendOrder", Id(order), LineId(order, 0));
            var paid = await PayAsync(net, Id(order), complement: "CASH", lines: [LineId(order, 0)]);

            await silo.StopAsync(TestContext.Current.CancellationToken);
            await silo.StartAsync(TestContext.Current.CancellationToken);

            var after = await OrderAsync(net, Id(order));
            Assert.Equal("IN_PREPARATION", Str(after, "status"));
            Assert.Equal(2400, Long(after, "remaining"));
            Assert.Equal(Str(paid["payment"]!, "operationId"), after["lines"]![0]!["paidBy"]![0]!.GetValue<string>());
            Assert.Equal("WAITING", Str((await TableAsync(net, "t1"))!, "status"));
            Assert.Equal("ALREADY_PAID", (await PayRawAsync(net, Id(order), complement: "CASH", lines: [LineId(order, 0)])).ErrorCode());
            Assert.Equal(2400, Long((await PayAsync(net, Id(order), complement: "CASH"))["payment"]!, "total"));
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }
}
