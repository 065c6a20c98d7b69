using System.CommandLine;
using System.Globalization;
using UnionSync.Sync.Engine;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Policies;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Cli.Commands;

/// <summary>
/// <c>unionsync policy set --db DB --table T --policy P [--column C --owner O]</c> and <c>unionsync policy list --db DB</c>
/// (DESIGN §6): the conflict policy of a table, kept in the parent's database so that every process syncing with that
/// parent applies the same one.
/// </summary>
internal sealed class PolicyCommand(ProviderRegistry providers, TextWriter output, TextWriter error)
{
    private const string DatabaseDescription = "The parent database as PROVIDER:CONNECTION-STRING; it is provisioned for sync if it is not yet.";

    private readonly Option<string> _setDb = CommandOptions.Database(DatabaseDescription);
    private readonly Option<string> _listDb = CommandOptions.Database(DatabaseDescription);

    private readonly Option<string> _table = new("--table")
    {
        Description = "The table: organizations, members or service_cards.",
        HelpName = "T",
        Required = true,
    };

    private readonly Option<string> _policy = new("--policy")
    {
        Description = "parent-wins (the default), child-wins, last-writer-wins (by hybrid logical clock), merge-columns, field-authority or manual (queued for an operator).",
        HelpName = "P",
        Required = true,
    };

    private readonly Option<string?> _column = new("--column")
    {
        Description = "For field-authority: the column whose owner --owner names.",
        HelpName = "C",
    };

    private readonly Option<string?> _owner = new("--owner")
    {
        Description = "For field-authority: the owner of --column: parent, child or a source name.",
        HelpName = "O",
    };

    private readonly Option<string?> _fallback = new("--fallback")
    {
        Description = "For merge-columns and field-authority: the policy that decides a column both sides changed (one without an owner): parent-wins (the default), child-wins, last-writer-wins or manual.",
        HelpName = "P",
    };

    private readonly Option<bool> _setJson = CommandOptions.Json();
    private readonly Option<bool> _listJson = CommandOptions.Json();

    public Command Create()
    {
        var set = new Command("set", "Set the conflict policy of a table in this (parent) database.")
        {
            _setDb,
            _table,
            _policy,
            _column,
            _owner,
            _fallback,
            _setJson,
        };
        set.SetAction(SetAsync);
        var list = new Command("list", "Show the conflict policy of every synced table in this (parent) database.")
        {
            _listDb,
            _listJson,
        };
        list.SetAction(ListAsync);
        return new Command("policy", "The conflict policies a parent applies to its children's changes, per table.") { set, list };
    }

    private async Task<int> SetAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var console = new CommandOutput(output, error, parseResult.GetValue(_setJson));
        try
        {
            var table = SyncTables.Named(parseResult.GetValue(_table)!).Name;
            var policy = ConflictPolicies.Parse(parseResult.GetValue(_policy)!);
            var (column, owner) = (parseResult.GetValue(_column), parseResult.GetValue(_owner));
            CheckOwnerOptions(column, owner, policy);
            var fallback = parseResult.GetValue(_fallback) is { } fallbackName ? ParseFallback(fallbackName, policy) : (ConflictPolicy?)null;
            await using var database = await SyncDatabases.OpenAsync(providers, parseResult.GetValue(_setDb)!, "--db").ConfigureAwait(false);
            await SyncProtocol.PrepareAsync(database, cancellationToken).ConfigureAwait(false);
            if (column is not null)
            {
                await CheckColumnAsync(database, table, column, cancellationToken).ConfigureAwait(false);
            }

            await database.Metadata.SetPolicyAsync(new PolicyChange(table, policy, fallback, column, owner is null ? null : ColumnOwners.Parse(owner)), cancellationToken).ConfigureAwait(false);
            var stored = (await database.Metadata.GetPoliciesAsync(cancellationToken).ConfigureAwait(false)).For(table);
            if (console.Json)
            {
                console.WriteJson(new { command = "policy set", table, policy = policy.Name(), fallback = stored.Fallback.Name(), owners = stored.Owners });
            }
            else
            {
                console.Out.WriteLine($"Conflicts in {table} are now decided by {policy.Name()} at this parent{Details(stored)}.");
            }

            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            return console.Fail(ErrorMapping.Map(ex));
        }
    }

    private async Task<int> ListAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var console = new CommandOutput(output, error, parseResult.GetValue(_listJson));
        try
        {
            await using var database = await SyncDatabases.OpenAsync(providers, parseResult.GetValue(_listDb)!, "--db").ConfigureAwait(false);
            var policies = await database.Tracking.IsProvisionedAsync(cancellationToken).ConfigureAwait(false)
                ? await ReadAsync(database, cancellationToken).ConfigureAwait(false)
                : PolicySet.Defaults;
            var rows = SyncTables.All.Select(t => policies.For(t.Name)).ToList();
            if (console.Json)
            {
                console.WriteJson(new
                {
                    command = "policy list",
                    policies = rows.Select(p => new
                    {
                        table = p.Table,
                        policy = p.Policy.Name(),
                        fallback = p.Fallback.Name(),
                        owners = p.Owners,
                        isDefault = p.UpdatedAt is null,
                        updatedAt = p.UpdatedAt,
                    }),
                });
                return ExitCodes.Success;
            }

            foreach (var row in rows)
            {
                var since = row.UpdatedAt is { } at ? string.Create(CultureInfo.InvariantCulture, $"set {at:yyyy-MM-dd HH:mm:ss}Z") : "default";
                console.Out.WriteLine($"{row.Table,-14} {row.Policy.Name(),-17} {since}{Details(row)}");
            }

            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            return console.Fail(ErrorMapping.Map(ex));
        }
    }

    private static async Task<PolicySet> ReadAsync(ISyncProvider database, CancellationToken cancellationToken)
    {
        await SyncProtocol.EnsureMetadataAsync(database, "given", cancellationToken).ConfigureAwait(false);
        return await database.Metadata.GetPoliciesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>", fallback parent-wins, owners phone=child" for the policies that merge by columns; empty otherwise.</summary>
    private static string Details(TablePolicy policy)
    {
        if (!policy.Policy.MergesColumns())
        {
            return string.Empty;
        }

        var owners = policy.Policy == ConflictPolicy.FieldAuthority && policy.Owners.Count > 0
            ? ", owners " + string.Join(" ", policy.Owners.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}"))
            : string.Empty;
        return $", fallback {policy.Fallback.Name()}{owners}";
    }

    private static ConflictPolicy ParseFallback(string name, ConflictPolicy policy)
    {
        if (!policy.MergesColumns())
        {
            throw new SyncConfigurationException($"--fallback decides a column both sides changed under merge-columns and field-authority; the policy given is {policy.Name()}.");
        }

        return ConflictPolicies.EnsureFallback(ConflictPolicies.Parse(name));
    }

    /// <summary>A column the table has: one of the contract's (not the key), or one added to this database's table.</summary>
    private static async Task CheckColumnAsync(ISyncProvider database, string table, string column, CancellationToken cancellationToken)
    {
        var described = (await database.Changes.DescribeAsync(cancellationToken).ConfigureAwait(false)).Named(table);
        if (described.TryIndexOf(column) is not { } ordinal || ordinal == described.KeyOrdinal)
        {
            throw new SyncConfigurationException(
                $"Table {table} has no column '{column}' that can have an owner; its columns are {string.Join(", ", described.Columns.Where((_, i) => i != described.KeyOrdinal).Select(c => c.Name))}.");
        }
    }

    private static void CheckOwnerOptions(string? column, string? owner, ConflictPolicy policy)
    {
        if ((column is null) != (owner is null))
        {
            throw new SyncConfigurationException("--column and --owner go together: --column names the column, --owner its owner (parent, child or a source name).");
        }

        if (column is not null && policy != ConflictPolicy.FieldAuthority)
        {
            throw new SyncConfigurationException($"--column and --owner name a column's owner for the field-authority policy; the policy given is {policy.Name()}.");
        }
    }
}
