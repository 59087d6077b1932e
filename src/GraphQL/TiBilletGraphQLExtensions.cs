using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace TiBillet.GraphQL;

public static class TiBilletGraphQLExtensions
{
    public static IServiceCollection AddTiBilletGraphQL(this IServiceCollection services) => services;

    public static WebApplication MapTiBilletGraphQL(this WebApplication app) => app;
}
