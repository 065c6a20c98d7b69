using Npgsql;
using NpgsqlTypes;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres.Apply;

/// <summary>Writes one batch's changes into the staging temp table through binary COPY, each value with its explicit type.</summary>
internal static class PostgresStagingWriter
{
    public static async Task WriteAsync(
        NpgsqlConnection connection, PostgresApplySql sql, TableDescription table, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(sql.CopySql, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var change in changes)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                var delete = change.Kind != ChangeKind.Upsert;
                await importer.WriteAsync((short)(delete ? 1 : 0), NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await WriteNullableAsync(importer, change.Origin?.Node, cancellationToken).ConfigureAwait(false);
                if (change.Origin is { } origin)
                {
                    await importer.WriteAsync(origin.Version, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }

                await WriteNullableAsync(importer, change.ScopeOrganization, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    object? value = i == table.KeyOrdinal ? change.Key : delete ? null : change.Values![i];
                    await WriteValueAsync(importer, table, table.Columns[i], value, cancellationToken).ConfigureAwait(false);
                }
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, Guid? value, CancellationToken cancellationToken) =>
        value is { } v ? importer.WriteAsync(v, NpgsqlDbType.Uuid, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static Task WriteValueAsync(
        NpgsqlBinaryImporter importer, TableDescription table, ColumnDescription column, object? value, CancellationToken cancellationToken)
    {
        if (value is null || value is DBNull)
        {
            return importer.WriteNullAsync(cancellationToken);
        }

        try
        {
            return column.Type switch
            {
                ColumnType.Uuid => importer.WriteAsync((Guid)value, NpgsqlDbType.Uuid, cancellationToken),
                ColumnType.Text => importer.WriteAsync((string)value, NpgsqlDbType.Text, cancellationToken),
                ColumnType.FixedText => importer.WriteAsync((string)value, NpgsqlDbType.Char, cancellationToken),
                ColumnType.SmallInt => importer.WriteAsync((short)value, NpgsqlDbType.Smallint, cancellationToken),
                ColumnType.BigInt => importer.WriteAsync((long)value, NpgsqlDbType.Bigint, cancellationToken),
                ColumnType.Boolean => importer.WriteAsync((bool)value, NpgsqlDbType.Boolean, cancellationToken),
                ColumnType.Date => importer.WriteAsync((DateOnly)value, NpgsqlDbType.Date, cancellationToken),
                ColumnType.Timestamp => importer.WriteAsync(
                    PostgresColumnTypes.ToStoredTimestamp((DateTime)value), NpgsqlDbType.TimestampTz, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
            };
        }
        catch (Exception ex) when (ex is InvalidCastException or ArgumentException)
        {
            throw new ArgumentException(
                $"Table {table}: column {column.Name} is {column.Type}; the change has a {value.GetType().Name} or a non-UTC timestamp.", ex);
        }
    }
}
