namespace TiBillet.Grains.Common;

/// <summary>Provider names and well-known keys, in one place.</summary>
public static class StorageNames
{
    /// <summary>The ADO.NET grain storage holding configuration grains (venues, assets, points of sale…).</summary>
    public const string Configuration = "tibillet";

    /// <summary><c>ClusterOptions.ServiceId</c>: fixed forever, since stored state and reminders are scoped by it.</summary>
    public const string ServiceId = "tibillet";
}
