using UnionSync.Sync.Changes;
using UnionSync.Sync.Policies;

namespace UnionSync.Sync.Engine;

/// <summary>The sentence the conflict log keeps for a decision: who won, by which rule, and what happened to the loser.</summary>
internal static class ConflictOutcomes
{
    public static string Describe(ConflictPolicy policy, ConflictWinner winner, RowChange change, CurrentRow current) => (policy, winner) switch
    {
        (_, ConflictWinner.Queued) =>
            "queued: the parent's version stays (and is re-sent to the child) until an operator decides with unionsync conflicts resolve ID --take parent|child",
        (ConflictPolicy.LastWriterWins, ConflictWinner.Child) =>
            $"last writer wins: the child's version ({Clock(change.Origin)}) is later than the parent's ({Clock(current.Identity)}) and replaces it",
        (ConflictPolicy.LastWriterWins, _) =>
            $"last writer wins: the parent's version ({Clock(current.Identity)}) is later than the child's ({Clock(change.Origin)}); the child's change is discarded and the parent's version re-sent to the child",
        (_, ConflictWinner.Child) => "child wins: the child's version replaces the parent's",
        _ => "parent wins: the child's change is discarded and the parent's version is re-sent to the child",
    };

    private static string Clock(VersionIdentity? identity) => (Identities.Normalize(identity) ?? VersionIdentity.Initial).ToClockString();
}
