namespace TiBillet.GraphQL.Instance;

public sealed record InstanceInfo(string Name, string Version, DateTimeOffset ServerTime);
