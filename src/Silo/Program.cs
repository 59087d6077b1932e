using TiBillet.Grains;
using TiBillet.GraphQL;
using TiBillet.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
using var bootLogging = LoggerFactory.Create(b => b.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true));

// The database comes first: the Orleans providers read their queries from it when the silo starts.
await using var database = await TiBilletDatabase.OpenAsync(builder.Configuration, bootLogging);

var hosting = builder.Configuration.GetSection(nameof(SiloHostingOptions)).Get<SiloHostingOptions>() ?? new SiloHostingOptions();
builder.UseOrleans(silo => silo.AddTiBilletProviders(database.DataSource).AddTiBilletCluster(hosting));
builder.Services.AddTiBilletGrains();
builder.Services.AddTiBilletGraphQL();
builder.Services.AddTiBilletSiloServices(builder.Configuration);

var app = builder.Build();
app.MapTiBilletGraphQL();
app.MapTiBilletHealth();
await app.RunAsync();
