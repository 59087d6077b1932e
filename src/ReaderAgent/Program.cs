using TiBillet.ReaderAgent;

// Settings sit beside the binary, wherever systemd (or a shell) starts it from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddReaderAgent();
await builder.Build().RunAsync();
