using Microsoft.Extensions.Logging;

namespace UnionSync.Hub.Tests;

public sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, Exception? Exception);
