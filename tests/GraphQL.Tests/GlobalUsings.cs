// The API's shared parts, as the API itself sees them.
global using TiBillet.GraphQL.Transport;
global using TiBillet.GraphQL.Execution;
global using TiBillet.GraphQL.Authorization;
global using TiBillet.GraphQL.Root;
global using TiBillet.GraphQL.Limits;
