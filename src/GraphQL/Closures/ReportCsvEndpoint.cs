using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Closures;
using TiBillet.Grains.Common;

namespace TiBillet.GraphQL.Closures;

/// <summary>
/// <c>GET /venues/{id}/reports/x.csv?from=&amp;to=</c> (an X report) and <c>GET /venues/{id}/reports/z/{number}.csv</c> (a stored Z
/// closure), for the venue's VIEWER, MANAGER or ADMIN. One row per figure: section, kind, key, label, quantity, amount.
/// Refusals are 401/403/404 with a short JSON error carrying the same codes as the API.
/// </summary>
public static class ReportCsvEndpoint
{
    public static async Task HandleAsync(HttpContext http, string venueId, string? number)
    {
        try
        {
            var venue = VenueId.Parse(venueId);
            var auth = await http.AuthenticateAsync();
            var user = auth.Succeeded ? auth.Principal! : new System.Security.Claims.ClaimsPrincipal();
            await http.RequestServices.GetRequiredService<ReportAccess>().RequireReaderAsync(user, venue, http.RequestAborted);
            TillReport report;
            if (number is null)
            {
                var from = DateTimeOffset.TryParse(http.Request.Query["from"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var f) ? f : DateTimeOffset.UnixEpoch;
                var to = DateTimeOffset.TryParse(http.Request.Query["to"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.UtcNow.AddSeconds(1);
                report = await http.RequestServices.GetRequiredService<TillReportStore>().ComputeAsync(venue, from, to, http.RequestAborted);
            }
            else
            {
                var closures = await http.RequestServices.GetRequiredService<TillDayStore>().ClosuresAsync(venue, 100_000, null, http.RequestAborted);
                report = closures.FirstOrDefault(c => c.Number.ToString(CultureInfo.InvariantCulture) == number)?.Report
                    ?? throw new DomainException(ErrorCodes.NotFound, "No such closure.");
            }

            http.Response.ContentType = "text/csv; charset=utf-8";
            await http.Response.WriteAsync(ToCsv(report), http.RequestAborted);
        }
        catch (DomainException ex)
        {
            http.Response.StatusCode = ex.Code switch
            {
                ErrorCodes.Unauthenticated => StatusCodes.Status401Unauthorized,
                ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
                ErrorCodes.NotFound => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status400BadRequest,
            };
            await http.Response.WriteAsJsonAsync(new { errors = new[] { new { message = ex.Message, extensions = new { code = ex.Code } } } });
        }
    }

    public static string ToCsv(TillReport r)
    {
        var csv = new StringBuilder("section,kind,key,label,quantity,amount\n");
        void Row(string section, string kind, string key, string label, long quantity, long amount) =>
            csv.Append(CultureInfo.InvariantCulture, $"{section},{kind},{Cell(key)},{Cell(label)},{quantity},{amount}\n");

        foreach (var k in r.ByKind)
        {
            Row("kind", k.Kind.ToString(), "", "", k.Quantity, k.Amount);
        }

        foreach (var (section, groups) in new[] { ("product", r.ByProduct), ("category", r.ByCategory), ("point_of_sale", r.ByPointOfSale), ("cashier", r.ByCashier) })
        {
            foreach (var g in groups)
            {
                Row(section, g.Kind.ToString(), g.Key, g.Label, g.Quantity, g.Amount);
            }
        }

        foreach (var m in r.ByMeans)
        {
            Row("means", m.Kind.ToString(), m.Means.ToString(), m.Asset?.ToString() ?? "", 0, m.Amount);
        }

        foreach (var v in r.Vat)
        {
            Row("vat_net", "", v.Rate.ToString(CultureInfo.InvariantCulture), "", 0, v.Net);
            Row("vat", "", v.Rate.ToString(CultureInfo.InvariantCulture), "", 0, v.Vat);
            Row("vat_gross", "", v.Rate.ToString(CultureInfo.InvariantCulture), "", 0, v.Gross);
        }

        foreach (var l in r.Ledger)
        {
            Row("ledger", l.Kind.ToString(), l.Means.ToString(), l.Asset?.ToString() ?? "", l.Operations, l.Amount);
        }

        Row("cash", "", "expected", "", 0, r.CashExpected);
        Row("cash", "", "counted", "", 0, r.CashCounted);
        Row("cards", "", "distinct", "", r.DistinctCards, 0);
        return csv.ToString();
    }

    // Quoted when needed; a leading formula character is neutralised so a spreadsheet never runs a label.
    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
