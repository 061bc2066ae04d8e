using System.Diagnostics.CodeAnalysis;

namespace MlNetMnist.Server;

/// <summary>
/// The fast path of <c>POST /predict</c>'s JSON body: reads the plain form every client sends,
/// <c>{"pixels": [0, 12, 255, ...]}</c> with whole numbers, in one pass over the bytes (≈ 15× faster
/// than <c>JsonSerializer</c>, whose number parsing is most of a request's cost). Anything else (other
/// properties or spellings, decimals, exponents, signs, strings, escapes, invalid JSON) is not read
/// here: <see cref="TryRead"/> says false and the caller hands the body to <c>JsonSerializer</c>,
/// which reads every valid form and names what is wrong with the others. So this path can only
/// accept bodies that <c>JsonSerializer</c> reads to the same values (a test checks both on many bodies).
/// </summary>
internal static class PlainPixelsReader
{
    /// <summary>Whole numbers of up to this many digits are read (below 2^24, so exact as floats).</summary>
    private const int MaxDigits = 7;

    /// <summary>
    /// The pixel values of a plain body: <c>{"pixels": [...]}</c> (JSON whitespace anywhere between
    /// tokens) whose values are whole numbers without sign, fraction or exponent; false for any other body.
    /// </summary>
    /// <param name="json">The UTF-8 body.</param>
    /// <param name="expected">How many values the model takes: the array read is this long, or shorter when the body has fewer (the validator names the count); a longer array is left to the slow path.</param>
    /// <param name="pixels">The values, in order.</param>
    public static bool TryRead(ReadOnlySpan<byte> json, int expected, [NotNullWhen(true)] out float[]? pixels)
    {
        pixels = null;
        int at = 0;
        if (!Expect(json, ref at, "{"u8) || !Expect(json, ref at, "\"pixels\""u8) || !Expect(json, ref at, ":"u8) || !Expect(json, ref at, "["u8))
            return false;
        var values = new float[expected];
        int count = 0;
        if (!Expect(json, ref at, "]"u8))
        {
            while (true)
            {
                if (count == expected || !TryReadWholeNumber(json, ref at, out values[count])) return false;
                count++;
                if (Expect(json, ref at, ","u8)) continue;
                if (Expect(json, ref at, "]"u8)) break;
                return false;
            }
        }
        if (!Expect(json, ref at, "}"u8) || SkipWhitespace(json, at) != json.Length) return false;
        pixels = count == expected ? values : values[..count];
        return true;
    }

    /// <summary>Skips whitespace, then takes <paramref name="token"/> if it comes next.</summary>
    private static bool Expect(ReadOnlySpan<byte> json, ref int at, ReadOnlySpan<byte> token)
    {
        int start = SkipWhitespace(json, at);
        if (!json[start..].StartsWith(token)) return false;
        at = start + token.Length;
        return true;
    }

    /// <summary>A JSON integer without sign: <c>0</c>, or a digit 1–9 followed by digits (no leading zero).</summary>
    private static bool TryReadWholeNumber(ReadOnlySpan<byte> json, ref int at, out float value)
    {
        value = 0;
        int i = SkipWhitespace(json, at), start = i;
        uint number = 0;
        while (i < json.Length && (uint)(json[i] - '0') <= 9)
        {
            if (i - start == MaxDigits || (i > start && number == 0)) return false; // too long, or a leading zero
            number = number * 10 + (uint)(json[i] - '0');
            i++;
        }
        if (i == start) return false;
        value = number;
        at = i;
        return true;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int at)
    {
        while (at < json.Length && json[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') at++;
        return at;
    }
}
