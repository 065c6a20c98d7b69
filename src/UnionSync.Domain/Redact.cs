namespace UnionSync.Domain;

/// <summary>Masks personal identifiers before they reach a log, an error message or an API response.</summary>
public static class Redact
{
    /// <summary><c>11010519491231002X</c> becomes <c>110105********002X</c>: region and last four kept.</summary>
    public static string IdNumber(string? idNumber)
    {
        if (string.IsNullOrEmpty(idNumber))
        {
            return string.Empty;
        }

        if (idNumber.Length <= 10)
        {
            return new string('*', idNumber.Length);
        }

        return string.Concat(idNumber.AsSpan(0, 6), new string('*', idNumber.Length - 10), idNumber.AsSpan(idNumber.Length - 4));
    }

    /// <summary><c>13812345678</c> becomes <c>*******5678</c>.</summary>
    public static string Phone(string? phone) => KeepLastFour(phone);

    /// <summary><c>6222021234567890128</c> becomes <c>***************0128</c>: the last four kept.</summary>
    public static string CardNumber(string? cardNumber) => KeepLastFour(cardNumber);

    private static string KeepLastFour(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return text.Length <= 4 ? new string('*', text.Length) : string.Concat(new string('*', text.Length - 4), text.AsSpan(text.Length - 4));
    }
}
