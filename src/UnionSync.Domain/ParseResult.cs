using System.Diagnostics.CodeAnalysis;

namespace UnionSync.Domain;

/// <summary>
/// The outcome of parsing a text into a validated value: either the value or a message that says what is wrong.
/// Messages never hold a personal identifier in full.
/// </summary>
public sealed class ParseResult<T>
    where T : class
{
    private ParseResult(T? value, string? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The parsed value, or <see langword="null"/> when the text is invalid.</summary>
    public T? Value { get; }

    /// <summary>What is wrong with the text, or <see langword="null"/> when it is valid.</summary>
    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Value is not null;

    /// <summary>The value, or a <see cref="FormatException"/> carrying <see cref="Error"/>.</summary>
    /// <exception cref="FormatException">the text was invalid.</exception>
    public T GetValueOrThrow() => IsValid ? Value : throw new FormatException(Error);

    public override string ToString() => IsValid ? $"Valid: {Value}" : $"Invalid: {Error}";

    internal static ParseResult<T> Success(T value) => new(value, null);

    internal static ParseResult<T> Failure(string error) => new(null, error);
}
