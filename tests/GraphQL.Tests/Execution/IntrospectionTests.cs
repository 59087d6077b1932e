using System.Net;
using System.Text.Json.Nodes;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Execution;

/// <summary>
/// The introspection query that GraphiQL, graphql-codegen, Apollo and Postman send (graphql-js's
/// <c>getIntrospectionQuery()</c>) is answered, anonymously; introspection still has a budget of its own, so a
/// pathologically deep or wide one is refused, and ordinary queries keep theirs.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class IntrospectionTests(TestFieldsSiloFixture silo)
{
    /// <summary>The text of graphql-js 16's <c>getIntrospectionQuery()</c> with its default options, as clients send it.</summary>
    public const string StandardIntrospectionQuery = """

    query IntrospectionQuery {
      __schema {
        
        queryType { name }
        mutationType { name }
        subscriptionType { name }
        types {
          ...FullType
        }
        directives {
          name
          description
          
          locations
          args {
            ...InputValue
          }
        }
      }
    }

    fragment FullType on __Type {
      kind
      name
      description
      
      fields(includeDeprecated: true) {
        name
        description
        args {
          ...InputValue
        }
        type {
          ...TypeRef
        }
        isDeprecated
        deprecationReason
      }
      inputFields {
        ...InputValue
      }
      interfaces {
        ...TypeRef
      }
      enumValues(includeDeprecated: true) {
        name
        description
        isDeprecated
        deprecationReason
      }
      possibleTypes {
        ...TypeRef
      }
      
    }

    fragment InputValue on __InputValue {
      name
      description
      type { ...TypeRef }
      defaultValue
      
      
    }

    fragment TypeRef on __Type {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                  }
                }
              }
            }
          }
        }
      }
    }
  
""";

    /// <summary>The same query with <c>TypeRef</c> nested <paramref name="levels"/> <c>ofType</c>s deep (newer clients use 9).</summary>
    private static string WithTypeRefDepth(int levels)
    {
        var start = StandardIntrospectionQuery.IndexOf("fragment TypeRef", StringComparison.Ordinal);
        return StandardIntrospectionQuery[..start] + "fragment TypeRef on __Type { kind name "
               + string.Concat(Enumerable.Repeat("ofType { kind name ", levels)) + string.Concat(Enumerable.Repeat("} ", levels)) + "}";
    }

    [Fact]
    public async Task The_standard_introspection_query_is_answered_anonymously()
    {
        var response = await silo.PostAsync(StandardIntrospectionQuery);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Body["errors"] is null, response.Body["errors"]?.ToJsonString());
        var schema = response.Data()["__schema"]!;
        Assert.Equal("Query", schema["queryType"]!["name"]!.GetValue<string>());
        Assert.Equal("Mutation", schema["mutationType"]!["name"]!.GetValue<string>());
        var types = schema["types"]!.AsArray();
        var wallet = types.Single(t => t!["name"]!.GetValue<string>() == "Wallet")!;
        Assert.Contains(wallet["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "balances");
        Assert.Contains(schema["directives"]!.AsArray(), d => d!["name"]!.GetValue<string>() == "skip");
    }

    [Fact]
    public async Task The_introspection_query_with_nine_levels_of_type_references_is_answered()
    {
        var response = await silo.PostAsync(WithTypeRefDepth(9));

        Assert.True(response.Body["errors"] is null, response.Body["errors"]?.ToJsonString());
        Assert.NotEmpty(response.Data()["__schema"]!["types"]!.AsArray());
    }

    [Fact]
    public async Task Introspection_nested_30_levels_deep_is_refused()
    {
        var response = await silo.PostAsync(WithTypeRefDepth(30));

        Assert.Equal("COMPLEXITY", response.ErrorCode());
        Assert.Null(response.Body["data"]);
    }

    [Fact]
    public async Task Introspection_repeated_under_many_aliases_is_refused()
    {
        var start = StandardIntrospectionQuery.IndexOf("fragment FullType", StringComparison.Ordinal);
        var aliases = string.Concat(Enumerable.Range(0, 40).Select(i => $"t{i}: types {{ ...FullType }} "));
        var query = "query { __schema { " + aliases + "} } " + StandardIntrospectionQuery[start..];

        var response = await silo.PostAsync(query);

        Assert.Equal("COMPLEXITY", response.ErrorCode());
        Assert.Null(response.Body["data"]);
    }

    [Fact]
    public async Task An_ordinary_query_beside_introspection_keeps_the_ordinary_budget()
    {
        // Ordinary fields scoring past MaxComplexity (5000): 2,600 × (instance + name).
        var wide = string.Concat(Enumerable.Range(0, 2_600).Select(i => $"i{i}: instance {{ name }} "));

        var response = await silo.PostAsync("{ __schema { queryType { name } } " + wide + "}");

        Assert.Equal("COMPLEXITY", response.ErrorCode());
    }

    [Fact]
    public async Task A_small_introspection_beside_ordinary_fields_is_answered()
    {
        var response = await silo.PostAsync("{ __schema { queryType { name } } instance { name } }");

        Assert.True(response.Body["errors"] is null, response.Body["errors"]?.ToJsonString());
        Assert.Equal("TiBillet", response.Data()["instance"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_type_lookup_by_name_is_answered()
    {
        var response = await silo.PostAsync("query($n: String!) { __type(name: $n) { name fields { name type { kind name ofType { kind name } } } } }",
            new JsonObject { ["n"] = "Wallet" });

        Assert.Equal("Wallet", response.Data()["__type"]!["name"]!.GetValue<string>());
    }
}
