using UnionSync.Cli;

// unionsync: the operator's command-line tool (DESIGN §6). Exit codes: see ExitCodes.
return await UnionSyncCommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
