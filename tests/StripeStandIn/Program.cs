using System.Globalization;
using TiBillet.Testing;

// Usage: dotnet run --project tests/StripeStandIn -- [port] [webhook URL]
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 12111;
await using var standIn = new StripeStandIn
{
    WebhookUrl = new Uri(args.Length > 1 ? args[1] : "http://127.0.0.1:5080/stripe/webhook"),
};
await standIn.StartAsync(port: port);
Console.WriteLine($"Stripe stand-in (not Stripe) on {standIn.BaseAddress}: secret key {StripeStandIn.SecretKey}, webhook secret {StripeStandIn.WebhookSecret}, webhooks to {standIn.WebhookUrl}");
using var stop = new CancellationTokenSource();
// Ctrl+C or a plain kill (SIGTERM) stops it.
using var onInterrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Asked to stop.
}

void Stop(System.Runtime.InteropServices.PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
