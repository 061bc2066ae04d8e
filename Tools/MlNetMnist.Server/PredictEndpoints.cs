using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.Net.Http.Headers;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Images;

namespace MlNetMnist.Server;

/// <summary>
/// <c>POST /predict</c> and <c>POST /predict/batch</c>: read and check the body, queue the images,
/// answer with the prediction or with problem details a person can act on.
/// </summary>
internal static class PredictEndpoints
{
    /// <summary>The JSON content type.</summary>
    public const string Json = "application/json";

    /// <summary>PNG image bodies.</summary>
    public const string Png = "image/png";

    /// <summary>JPEG image bodies.</summary>
    public const string Jpeg = "image/jpeg";

    /// <summary>Seconds a client is asked to wait after a 503.</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>How request JSON is read: camelCase names (case-insensitive), and NaN/Infinity as strings so that they are named in the error, not a parse failure.</summary>
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Maps both endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        // The bodies are read by hand (one endpoint takes JSON and images), so the OpenAPI document is
        // told what they are by a transformer: Accepts metadata would also make routing answer a wrong
        // content type itself, with a 415 that does not say which types are taken.
        app.MapPost("/predict", PredictAsync)
            .AddOpenApiOperationTransformer(DocumentedBody<PixelsRequest>(Json, Png, Jpeg))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Classify one image: a PNG or JPEG body (preprocessed as mnist predict does), or JSON {\"pixels\": [...]}.");
        app.MapPost("/predict/batch", PredictBatchAsync)
            .AddOpenApiOperationTransformer(DocumentedBody<BatchRequest>(Json))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary($"Classify up to {ServeOptions.MaxImagesPerRequest} images given as JSON pixels.");
    }

    /// <summary>Documents a request body of <typeparamref name="T"/> as JSON, and of binary images for the image types among <paramref name="types"/>.</summary>
    private static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> DocumentedBody<T>(params string[] types)
        => async (operation, context, cancellationToken) =>
        {
            var json = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            var content = new Dictionary<string, OpenApiMediaType>();
            foreach (var type in types)
                content[type] = new OpenApiMediaType { Schema = type == Json ? json : new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
        };

    private static async Task<Results<Ok<PredictionResponse>, ProblemHttpResult>> PredictAsync(HttpContext context, ModelHolder holder, ScoringQueue queue)
    {
        using var arrival = queue.Arrive();
        var type = MediaType(context.Request.ContentType);
        if (type is not (Json or Png or Jpeg))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"POST /predict takes {Json} ({{\"pixels\": [...]}}), {Png} or {Jpeg}; the request's Content-Type is {Describe(context.Request.ContentType)}.");
        using var lease = holder.Lease();
        var model = lease.Model;
        var (body, tooLarge) = await ReadBodyAsync(context);
        if (tooLarge is not null) return tooLarge;
        float[] pixels;
        int[]? input = null;
        using (body)
        {
            if (type == Json)
            {
                if (!PlainPixelsReader.TryRead(body.Span, model.Model.Metadata.Shape.PixelCount, out var plain))
                {
                    if (!TryParse<PixelsRequest>(body.Span, out var request, out var malformed)) return malformed;
                    plain = request?.Pixels;
                }
                if (Invalid(plain, model, "") is { } invalid) return invalid;
                pixels = plain!;
            }
            else
            {
                if (!ModelDescription.TakesDigitImages(model.Model))
                    return Problem(StatusCodes.Status415UnsupportedMediaType, "Image bodies not supported by this model",
                        $"This model takes {model.Model.Metadata.Shape} raw pixels; image bodies are preprocessed for MNIST digit models (1×28×28) only. Send JSON {{\"pixels\": [...]}} ({model.Model.Metadata.Shape.PixelCount} values, C·H·W, 0–255).");
                try
                {
                    var digit = DigitImageLoader.Preprocess(body.AsStream(), "the request body"); // as mnist predict reads a file
                    pixels = digit.ToInput().Pixels;
                    input = [.. pixels.Select(p => (int)p)];
                }
                catch (DigitImageException e)
                {
                    return e.Error == DigitImageError.TooLarge
                        ? Problem(StatusCodes.Status413PayloadTooLarge, "Image too large", $"The body {e.Problem}")
                        : Problem(StatusCodes.Status400BadRequest, "Unusable image", $"The body {e.Problem}");
                }
            }
        }
        arrival.Dispose(); // before queuing, so that a forming batch never waits for this request itself
        if (!queue.TryScore(model, [pixels], out var scores)) return Busy(context, 1);
        var probabilities = (await scores)[0];
        return TypedResults.Ok(PredictionResponse.Of(probabilities, model.Model.Metadata.Labels, withLabels: true, input));
    }

    private static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> PredictBatchAsync(HttpContext context, ModelHolder holder, ScoringQueue queue)
    {
        using var arrival = queue.Arrive();
        if (MediaType(context.Request.ContentType) != Json)
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"POST /predict/batch takes {Json} ({{\"images\": [{{\"pixels\": [...]}}, ...]}}); the request's Content-Type is {Describe(context.Request.ContentType)}.");
        using var lease = holder.Lease();
        var model = lease.Model;
        var (body, tooLarge) = await ReadBodyAsync(context);
        if (tooLarge is not null) return tooLarge;
        BatchRequest? request;
        using (body)
            if (!TryParse(body.Span, out request, out var malformed)) return malformed;
        var images = request?.Images;
        if (images is not { Count: > 0 and <= ServeOptions.MaxImagesPerRequest })
            return Problem(StatusCodes.Status400BadRequest, "Wrong number of images",
                $"\"images\" must be an array of 1 to {ServeOptions.MaxImagesPerRequest} objects {{\"pixels\": [...]}}; it {(images is null ? "is missing" : $"has {images.Count}")}.");
        for (int i = 0; i < images.Count; i++)
            if (Invalid(images[i]?.Pixels, model, $"images[{i}]: ") is { } invalid) return invalid;
        arrival.Dispose();
        if (!queue.TryScore(model, [.. images.Select(image => image!.Pixels!)], out var scores)) return Busy(context, images.Count);
        var labels = model.Model.Metadata.Labels;
        return TypedResults.Ok(new BatchResponse([.. (await scores).Select(p => PredictionResponse.Of(p, labels, withLabels: false))], labels));
    }

    /// <summary>The body, read up to the server's limit; or the 413 problem when it is longer.</summary>
    private static async Task<(RequestBody Body, ProblemHttpResult? TooLarge)> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return (await RequestBody.ReadAsync(context.Request, context.RequestAborted), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var limit = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            return (null!, Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"The body is larger than this server accepts ({limit:N0} bytes; mnist serve --max-body sets the limit). Send fewer images per request."));
        }
    }

    private static bool TryParse<T>(ReadOnlySpan<byte> body, out T? value, out ProblemHttpResult malformed)
    {
        malformed = null!;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, RequestJson);
            return true;
        }
        catch (JsonException e)
        {
            value = default;
            var where = e.Path is { Length: > 0 } path ? $" at {path}" : "";
            malformed = Problem(StatusCodes.Status400BadRequest, "Malformed JSON",
                $"The body is not the JSON this endpoint takes{where} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}");
            return false;
        }
    }

    /// <summary>The 400 problem for pixels the model cannot take (<see cref="DigitInputValidator"/>'s message), or null when they are fine.</summary>
    private static ProblemHttpResult? Invalid(float[]? pixels, ServedModel model, string prefix)
    {
        try
        {
            DigitInputValidator.Validate(new DigitInput { Pixels = pixels! }, model.Model.Metadata.Shape);
            return null;
        }
        catch (ArgumentException e)
        {
            var message = e.Message.Replace($" (Parameter '{e.ParamName}')", "");
            if (pixels is null) message = $"\"pixels\" is missing; it must be an array of {model.Model.Metadata.Shape.PixelCount} numbers ({model.Model.Metadata.Shape}, C·H·W, 0–255).";
            return Problem(StatusCodes.Status400BadRequest, "Invalid pixels", prefix + message);
        }
    }

    private static ProblemHttpResult Busy(HttpContext context, int images)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return Problem(StatusCodes.Status503ServiceUnavailable, "Server busy",
            $"The scoring queue is full, so these {images} image(s) were not queued; retry after {RetryAfterSeconds} s (mnist serve --max-queue sets its size).");
    }

    /// <summary>A problem details result (RFC 7807, <c>application/problem+json</c>).</summary>
    public static ProblemHttpResult Problem(int status, string title, string detail)
        => TypedResults.Problem(detail: detail, statusCode: status, title: title);

    private static string? MediaType(string? contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;

    private static string Describe(string? contentType) => string.IsNullOrEmpty(contentType) ? "missing" : $"'{contentType}'";

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
