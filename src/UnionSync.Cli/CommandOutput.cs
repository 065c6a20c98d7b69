using System.Text.Encodings.Web;
using System.Text.Json;

namespace UnionSync.Cli;

/// <summary>Where a command writes: results on stdout (text, or one JSON object with --json), messages on stderr.</summary>
internal sealed class CommandOutput(TextWriter output, TextWriter error, bool json)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Json { get; } = json;

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Reports a failure: on stderr, and with --json also as the one JSON object on stdout.</summary>
    public int Fail(CommandFailure failure)
    {
        Error.WriteLine($"unionsync: error: {failure.Message}");
        if (Json)
        {
            WriteJson(new { error = failure.Message, exitCode = failure.ExitCode });
        }

        return failure.ExitCode;
    }
}
