namespace UnionSync.Hub.Tests;

/// <summary>The hub's log event ids that the tests look for (src/UnionSync.Hub/Log.cs).</summary>
internal static class HubEvents
{
    public const int DatabaseOpening = 1000;
    public const int DemoFederationNotNeeded = 1002;
    public const int DemoFederationLoaded = 1005;
}
