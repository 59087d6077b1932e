using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace TiBillet.GraphQL.Ide;

/// <summary>
/// The GraphiQL IDE for browsers at GET /graphql: a static page and its assets, embedded in this assembly (no CDN, no
/// node at run time). It calls the same endpoint as any client, with the token typed into the page, so it sees exactly
/// what that token may see.
/// </summary>
public static class GraphiQLPage
{
    // The page's own scripts and styles only; GraphiQL sets inline styles, and talks to this origin alone.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Assets = Load();

    /// <summary>A browser navigating here (it asks for HTML), not an API client.</summary>
    public static bool IsWanted(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) && !http.WebSockets.IsWebSocketRequest
        && http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    public static Task WritePageAsync(HttpContext http) => WriteAsync(http, "ide.html", cache: false);

    public static Task WriteAssetAsync(HttpContext http, string file) =>
        file != "ide.html" && Assets.ContainsKey(file) ? WriteAsync(http, file, cache: true) : NotFoundAsync(http);

    private static async Task WriteAsync(HttpContext http, string name, bool cache)
    {
        var (content, type) = Assets[name];
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = type;
        http.Response.ContentLength = content.Length;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        // Assets change only with a new silo version; the page itself is always fetched anew.
        http.Response.Headers.CacheControl = cache ? "public, max-age=3600" : "no-cache";
        await http.Response.Body.WriteAsync(content, http.RequestAborted);
    }

    private static Task NotFoundAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static FrozenDictionary<string, (byte[] Content, string ContentType)> Load()
    {
        var assembly = typeof(GraphiQLPage).Assembly;
        const string prefix = "ide/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[prefix.Length..], n => (Read(assembly, n), TypeOf(n)));
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };
}
