using System.Globalization;

namespace GenCdr;

/// <summary>
/// How a difference or a correlation is printed everywhere (reports, console, tokenization report): always with its
/// sign, the typographic minus "−" (U+2212), and a value that rounds to zero as an unsigned zero ("0.0000", never
/// "−0.0000" or "-+0.00", which .NET prints for a negative number that rounds to zero under a two-section format).
/// </summary>
public static class SignedNumber
{
    /// <summary><paramref name="value"/> to <paramref name="decimals"/> (≥ 1) decimals: "+0.0123", "−0.0123", "0.0000".</summary>
    public static string Format(double value, int decimals)
    {
        var digits = "0." + new string('0', decimals);
        return value.ToString($"+{digits};−{digits};{digits}", CultureInfo.InvariantCulture);
    }
}
