namespace MlNetMnist.Server;

/// <summary><c>GET /</c>: the drawing page, one self-contained HTML file embedded in this assembly (no CDN, nothing else loaded).</summary>
internal static class DrawingPage
{
    private static readonly Lazy<string> Html = new(() =>
    {
        using var stream = typeof(DrawingPage).Assembly.GetManifestResourceStream("index.html")
            ?? throw new InvalidOperationException("The drawing page is not embedded in the server assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>What the page may load and run: its own inline script and style, and requests to this server.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Maps <c>GET /</c>.</summary>
    public static void Map(IEndpointRouteBuilder app)
        => app.MapGet("/", (HttpContext context) =>
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.Content(Html.Value, "text/html; charset=utf-8");
            })
            .ExcludeFromDescription();
}
