// The API's shared parts, by what they hold: every capability folder uses them.
global using TiBillet.GraphQL.Transport;
global using TiBillet.GraphQL.Execution;
global using TiBillet.GraphQL.Authorization;
global using TiBillet.GraphQL.Root;
global using TiBillet.GraphQL.Limits;
global using TiBillet.GraphQL.Observability;
