namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>How the agent process reported the end of one tap: a result (<see cref="Outcome"/>) or an error code.</summary>
public sealed record AgentTap(string TapId, string ReaderName, string? Outcome, long? Amount, int Attempts, double LatencyMs, string? ErrorCode);
