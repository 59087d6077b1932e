namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>A request the stand-in GraphQL server received, numbered from 1 in arrival order.</summary>
public sealed record RecordedRequest(int Number, string? Authorization, string? OperationName, string Query, string ReaderName, string Uid, string TapId);
