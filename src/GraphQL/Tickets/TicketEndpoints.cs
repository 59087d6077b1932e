using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using QRCoder;
using TiBillet.Grains.Common;
using TiBillet.Grains.Tickets;

namespace TiBillet.GraphQL.Tickets;

/// <summary>
/// A ticket's QR image: <c>GET /tickets/{code}.svg</c> or <c>.png</c>. The code is checked against its venue's key first,
/// so the server draws only genuine tickets (it is no general QR service); a forged code answers 404.
/// </summary>
public static class TicketEndpoints
{
    public static WebApplication MapTicketImages(this WebApplication app)
    {
        app.MapGet("/tickets/{file}", async (string file, TicketKeys keys, HttpContext http) =>
        {
            var dot = file.LastIndexOf('.');
            var extension = dot < 0 ? "" : file[(dot + 1)..];
            if (extension is not ("svg" or "png"))
            {
                return Results.NotFound();
            }

            var code = file[..dot];
            try
            {
                await keys.VerifyAsync(code, http.RequestAborted);
            }
            catch (DomainException)
            {
                return Results.NotFound();
            }

            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(code, QRCodeGenerator.ECCLevel.M);
            http.Response.Headers.CacheControl = "private, max-age=86400";
            return extension == "svg"
                ? Results.Text(new SvgQRCode(data).GetGraphic(4), "image/svg+xml")
                : Results.File(new PngByteQRCode(data).GetGraphic(8), "image/png");
        });
        return app;
    }
}
