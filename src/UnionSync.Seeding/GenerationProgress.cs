namespace UnionSync.Seeding;

/// <summary>Rows written so far into <see cref="Table"/>, out of <see cref="RowsExpected"/>.</summary>
public readonly record struct GenerationProgress(string Table, long RowsWritten, long RowsExpected);
