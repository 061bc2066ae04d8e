using System.Text;
using System.Text.Json;
using MlNetMnist.Server;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Server;

/// <summary>
/// The server's fast JSON path may only accept what <c>JsonSerializer</c> reads to the same values:
/// checked on real MNIST bodies in several layouts, on bodies it must leave to the slow path, and on
/// thousands of random corruptions of a real body.
/// </summary>
public sealed class PlainPixelsReaderTests
{
    private const int Pixels = 784;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>What JsonSerializer reads, as the endpoint's slow path does; null when it refuses the body.</summary>
    private static float[]? Serializer(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<PixelsRequest>(body, Web)?.Pixels;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Body(float[] pixels, string separator = ",", string open = "{\"pixels\":[", string close = "]}")
        => open + string.Join(separator, pixels.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))) + close;

    [Fact]
    public void RealImagesInEveryPlainLayoutReadAsJsonSerializerReadsThem()
    {
        for (int i = 0; i < 50; i++)
        {
            var image = RunningServer.TestPixels(i);
            string[] layouts =
            [
                JsonSerializer.Serialize(new { pixels = image }), // what HttpClient.PostAsJsonAsync and the bench send
                JsonSerializer.Serialize(new { pixels = image }, new JsonSerializerOptions { WriteIndented = true }),
                Body(image, ", ", "{ \"pixels\" : [ ", " ] }\n"),
                Body(image, ",\r\n\t", "\r\n{\"pixels\":\n[", "\n]\n}\r\n"),
            ];
            foreach (var layout in layouts)
            {
                var bytes = Encoding.UTF8.GetBytes(layout);
                Assert.True(PlainPixelsReader.TryRead(bytes, Pixels, out var fast), layout[..40]);
                Assert.Equal(image, fast);
                Assert.Equal(Serializer(bytes), fast);
            }
        }
    }

    [Theory]
    [InlineData("{\"pixels\":[]}", 0)]
    [InlineData("{\"pixels\":[0]}", 1)]
    [InlineData("{\"pixels\":[255,0,9999999]}", 3)] // out of range, read exactly: the validator names it
    public void ShortArraysAndLargeWholeNumbersAreReadForTheValidatorToJudge(string body, int count)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Assert.True(PlainPixelsReader.TryRead(bytes, Pixels, out var fast));
        Assert.Equal(count, fast.Length);
        Assert.Equal(Serializer(bytes), fast);
    }

    [Theory]
    [InlineData("{\"pixels\":[12.5]}")]           // a fraction
    [InlineData("{\"pixels\":[1e2]}")]            // an exponent
    [InlineData("{\"pixels\":[-1]}")]             // a sign
    [InlineData("{\"pixels\":[\"NaN\"]}")]        // a named literal
    [InlineData("{\"Pixels\":[1]}")]              // another spelling (JsonSerializer's web defaults take it)
    [InlineData("{\"pix\\u0065ls\":[1]}")]        // an escaped name
    [InlineData("{\"pixels\":[1],\"id\":7}")]     // another property
    [InlineData("{\"id\":7,\"pixels\":[1]}")]
    [InlineData("{\"pixels\":[10000000]}")]       // eight digits: no longer exact as a float
    [InlineData("{\"pixels\":null}")]
    [InlineData("{\"pixels\":[01]}")]             // invalid JSON from here on
    [InlineData("{\"pixels\":[1,]}")]
    [InlineData("{\"pixels\":[1 2]}")]
    [InlineData("{\"pixels\":[1]")]
    [InlineData("{\"pixels\":[1]}}")]
    [InlineData("{\"pixels\":[1]} x")]
    [InlineData("")]
    public void AnyOtherBodyIsLeftToJsonSerializer(string body)
        => Assert.False(PlainPixelsReader.TryRead(Encoding.UTF8.GetBytes(body), Pixels, out _));

    [Fact]
    public void MoreValuesThanTheModelTakesAreLeftToJsonSerializer()
    {
        var body = Encoding.UTF8.GetBytes(Body(new float[Pixels + 1]));
        Assert.False(PlainPixelsReader.TryRead(body, Pixels, out _));
        Assert.Equal(Pixels + 1, Serializer(body)!.Length); // which reads them, so the validator names the count
    }

    [Fact]
    public void EveryCorruptedBodyItAcceptsJsonSerializerReadsToTheSameValues()
    {
        var random = new Random(7);
        var original = Encoding.UTF8.GetBytes(Body(RunningServer.TestPixels(0)[..40], ", ")); // short, so that a corruption often lands in the structure
        ReadOnlySpan<byte> alphabet = "0123456789 ,.-+e\"[]{}:\n\tpixelsNa\\"u8;
        int accepted = 0, declined = 0;
        for (int trial = 0; trial < 20_000; trial++)
        {
            var body = new List<byte>(original);
            for (int edits = random.Next(1, 4); edits > 0; edits--)
            {
                int at = random.Next(body.Count + 1);
                switch (random.Next(3))
                {
                    case 0 when at < body.Count: body.RemoveAt(at); break;
                    case 1 when at < body.Count: body[at] = alphabet[random.Next(alphabet.Length)]; break;
                    default: body.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                }
            }
            var bytes = body.ToArray();
            if (PlainPixelsReader.TryRead(bytes, Pixels, out var fast))
            {
                accepted++;
                var slow = Serializer(bytes);
                Assert.True(slow is not null && slow.SequenceEqual(fast), $"accepted what JsonSerializer reads differently: {Encoding.UTF8.GetString(bytes)}");
            }
            else declined++;
        }
        Assert.True(accepted > 1_000 && declined > 1_000, $"{accepted} accepted, {declined} declined: the corruptions did not exercise both paths");
    }
}
