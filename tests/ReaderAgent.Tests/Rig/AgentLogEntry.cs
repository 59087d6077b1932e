namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>One line of the agent process's JSON console log: its template, rendered message and named values.</summary>
public sealed record AgentLogEntry(int Index, string Level, string Category, string Template, string Message, IReadOnlyDictionary<string, string?> State)
{
    public string? this[string name] => State.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Level} {Category}: {Message}";
}
