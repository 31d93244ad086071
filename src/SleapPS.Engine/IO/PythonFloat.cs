using System.Globalization;

namespace SleapPS.Engine.IO;

/// <summary>
/// Formats doubles as Python's <c>repr(float)</c> (and so pandas' CSV writer) does: the shortest text
/// that reads back to the same double, fixed notation with at least one decimal ("1.0") for decimal
/// exponents -4 to 15, otherwise scientific with a two-digit exponent ("1e-05", "1.5e+16").
/// </summary>
internal static class PythonFloat
{
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";

        string sign = double.IsNegative(value) ? "-" : "";
        // .NET's "R" is also the shortest round-trip text; only its layout differs from Python's.
        string text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponentAt = text.IndexOf('E');
        string mantissa = exponentAt < 0 ? text : text[..exponentAt];
        int exponent = exponentAt < 0 ? 0 : int.Parse(text[(exponentAt + 1)..], CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.');
        string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int integerDigits = dot < 0 ? mantissa.Length : dot;

        // value = 0.<digits> x 10^pointPosition, with no leading or trailing zeros in digits.
        string trimmed = digits.TrimStart('0');
        int pointPosition = integerDigits - (digits.Length - trimmed.Length) + exponent;
        digits = trimmed.TrimEnd('0');
        if (digits.Length == 0) return sign + "0.0";

        int decimalExponent = pointPosition - 1;
        if (decimalExponent is < -4 or >= 16)
        {
            string fraction = digits.Length > 1 ? "." + digits[1..] : "";
            return $"{sign}{digits[0]}{fraction}e{(decimalExponent < 0 ? '-' : '+')}{Math.Abs(decimalExponent):00}";
        }
        if (pointPosition <= 0) return $"{sign}0.{new string('0', -pointPosition)}{digits}";
        if (pointPosition >= digits.Length) return $"{sign}{digits}{new string('0', pointPosition - digits.Length)}.0";
        return $"{sign}{digits[..pointPosition]}.{digits[pointPosition..]}";
    }
}
