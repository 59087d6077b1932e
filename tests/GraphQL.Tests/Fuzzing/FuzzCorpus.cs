using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TiBillet.GraphQL.Tests.Fuzzing;

/// <summary>One fuzz case: a raw HTTP body (usually a GraphQL request in JSON) and what it is, for failure messages.</summary>
public sealed record FuzzCase(string Name, string Body, bool IsMutation);

/// <summary>
/// Builds the fuzz corpus from the committed schema (every root field, called with missing, wrong-typed, null, huge and
/// unknown arguments), from valid operations the tests use (truncated, spliced and randomly mutated), and from
/// hand-written hostile shapes (deep, wide, aliased, oversized, cyclic fragments, bad JSON). Seeded: the same seed
/// gives the same cases.
/// </summary>
public sealed partial class FuzzCorpus(int seed)
{
    private readonly Random _random = new(seed);

    public sealed record RootField(bool IsMutation, string Name, IReadOnlyList<(string Name, string Type)> Arguments);

    /// <summary>The Query and Mutation fields of schema.graphql with their arguments' types.</summary>
    public static IReadOnlyList<RootField> RootFields(string schema)
    {
        var fields = new List<RootField>();
        foreach (var (root, isMutation) in new[] { ("Query", false), ("Mutation", true) })
        {
            var start = schema.IndexOf($"type {root} {{", StringComparison.Ordinal);
            var end = schema.IndexOf("\n}", start, StringComparison.Ordinal);
            foreach (Match m in FieldLine().Matches(schema[start..end]))
            {
                var args = ArgumentPattern().Matches(m.Groups["args"].Value).Select(a => (a.Groups[1].Value, a.Groups[2].Value)).ToList();
                fields.Add(new RootField(isMutation, m.Groups["name"].Value, args));
            }
        }

        return fields;
    }

    [GeneratedRegex(@"^  (?<name>[a-zA-Z_]\w*)(\((?<args>[^)]*)\))?: ", RegexOptions.Multiline)]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"(\w+): ([\[\]\w!]+)")]
    private static partial Regex ArgumentPattern();

    private static string Request(string query, object? variables = null) => JsonSerializer.Serialize(new { query, variables });

    /// <summary>Values of the wrong type or shape for an argument of <paramref name="type"/>.</summary>
    private IEnumerable<(string Label, string Literal)> HostileLiterals(string type)
    {
        yield return ("null", "null");
        yield return ("int", "1");
        yield return ("negative", "-9223372036854775808");
        yield return ("overflow", "92233720368547758070");
        yield return ("float", "1e309");
        yield return ("string", "\"x\"");
        yield return ("empty string", "\"\"");
        yield return ("huge string", "\"" + new string('a', 70_000) + "\"");
        yield return ("control chars", "\"\\u0000\\u001b[31m\"");
        yield return ("list", "[1, \"a\", null]");
        yield return ("object", "{ a: 1 }");
        yield return ("enum", "CASH");
        yield return ("bool", "true");
        yield return ("variable undefined", "$nope");
        if (type.StartsWith('['))
        {
            yield return ("long list", "[" + string.Join(",", Enumerable.Repeat("{ label: \"x\", quantity: 1, unitPrice: 1 }", 5_000)) + "]");
        }

        yield return ("random", "\"" + RandomText(_random.Next(1, 40)).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
    }

    /// <summary>Every root field called wrongly: arguments missing, each argument hostile in turn, an unknown argument.</summary>
    public IEnumerable<FuzzCase> SchemaCases(IReadOnlyList<RootField> fields)
    {
        foreach (var field in fields)
        {
            var op = field.IsMutation ? "mutation" : "query";
            // With no selection, and with __typename: object-typed fields need a selection set.
            yield return new($"{field.Name}: no arguments", Request($"{op} {{ {field.Name} }}"), field.IsMutation);
            yield return new($"{field.Name}: no arguments, __typename", Request($"{op} {{ {field.Name} {{ __typename }} }}"), field.IsMutation);
            yield return new($"{field.Name}: unknown argument", Request($"{op} {{ {field.Name}(noSuchArgument: 1) {{ __typename }} }}"), field.IsMutation);
            foreach (var (name, type) in field.Arguments)
            {
                foreach (var (label, literal) in HostileLiterals(type))
                {
                    var args = string.Join(", ", field.Arguments.Select(a => a.Name == name ? $"{name}: {literal}" : $"{a.Name}: {Plausible(a.Type)}"));
                    yield return new($"{field.Name}({name}: {label})", Request($"{op} {{ {field.Name}({args}) {{ __typename }} }}"), field.IsMutation);
                }

                // The same through a variable of the wrong declared type.
                yield return new($"{field.Name}(${name} wrong type)", Request($"{op}($v: Boolean) {{ {field.Name}({name}: $v) {{ __typename }} }}", new { v = true }), field.IsMutation);
            }
        }
    }

    /// <summary>A well-typed but meaningless literal, so one hostile argument is tested at a time.</summary>
    private static string Plausible(string type) => type.TrimEnd('!') switch
    {
        "Int" or "Long" => "1",
        "Boolean" => "false",
        "Guid" => "\"00000000-0000-0000-0000-000000000000\"",
        var t when t.StartsWith('[') => "[]",
        var t when t.EndsWith("Input", StringComparison.Ordinal) => "{}",
        var t when char.IsUpper(t[0]) && t is not ("String" or "ID" or "DateTime") => "A",
        _ => "\"x\"",
    };

    /// <summary>Valid operations, broken: truncated, spliced, characters inserted, deleted or swapped, numbers made extreme.</summary>
    public IEnumerable<FuzzCase> MutatedCases(IReadOnlyList<(string Query, object? Variables, bool IsMutation)> seeds, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (query, variables, isMutation) = seeds[_random.Next(seeds.Count)];
            var mutated = _random.Next(7) switch
            {
                0 => query[.._random.Next(query.Length)],
                1 => Splice(query, seeds[_random.Next(seeds.Count)].Query),
                2 => query.Insert(_random.Next(query.Length), RandomText(_random.Next(1, 6))),
                3 => Delete(query),
                4 => Swap(query),
                5 => NumberRegex().Replace(query, _ => Extremes[_random.Next(Extremes.Length)]),
                _ => Mutate(Mutate(Mutate(query))),
            };
            var vars = _random.Next(4) == 0 ? MutateVariables(variables) : variables;
            yield return new($"mutated seed #{i}", Request(mutated, vars), isMutation || mutated.Contains("mutation", StringComparison.Ordinal));
        }
    }

    private static readonly string[] Extremes = ["0", "-1", "2147483648", "9223372036854775807", "-9223372036854775808", "1.5", "1e400", "\"1\""];

    [GeneratedRegex(@"\b\d+\b")]
    private static partial Regex NumberRegex();

    private object? MutateVariables(object? variables)
    {
        if (variables is null)
        {
            return new { x = 1 };
        }

        var json = JsonSerializer.Serialize(variables);
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        var keys = node.Select(p => p.Key).ToList();
        if (keys.Count == 0)
        {
            return node;
        }

        var key = keys[_random.Next(keys.Count)];
        node[key] = _random.Next(6) switch
        {
            0 => null,
            1 => 9223372036854775807,
            2 => -5,
            3 => new string('z', 10_000),
            4 => new System.Text.Json.Nodes.JsonArray(1, 2, 3),
            _ => new System.Text.Json.Nodes.JsonObject { ["__proto__"] = 1 },
        };
        return node;
    }

    private string Mutate(string s) => _random.Next(3) switch
    {
        0 => s.Insert(_random.Next(s.Length), RandomText(1)),
        1 => Delete(s),
        _ => Swap(s),
    };

    private string Splice(string a, string b) => a[.._random.Next(a.Length)] + b[_random.Next(b.Length)..];

    private string Delete(string s)
    {
        var at = _random.Next(s.Length);
        return s.Remove(at, Math.Min(s.Length - at, _random.Next(1, 8)));
    }

    private string Swap(string s)
    {
        var chars = s.ToCharArray();
        var (i, j) = (_random.Next(chars.Length), _random.Next(chars.Length));
        (chars[i], chars[j]) = (chars[j], chars[i]);
        return new string(chars);
    }

    private const string Alphabet = "{}()[]:$!@#,.\"\\ \n\tabcxyz019_-=&|é€\u0000\u202e\ud83d\ude00";

    private string RandomText(int length)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            sb.Append(Alphabet[_random.Next(Alphabet.Length)]);
        }

        // A lone surrogate would make the JSON itself invalid; the malformed cases test that separately.
        return sb.ToString().Replace("\ud83d", "", StringComparison.Ordinal).Replace("\ude00", "", StringComparison.Ordinal);
    }

    /// <summary>Hostile shapes: deep, wide, aliased, cyclic, oversized, and bodies that are not GraphQL requests at all.</summary>
    public static IEnumerable<FuzzCase> HostileCases()
    {
        string Deep(int n) => string.Concat(Enumerable.Repeat("{ me ", n)) + "{ kind }" + new string('}', n);
        yield return new("deep selection 100", Request("query " + Deep(100)), false);
        yield return new("deep selection 5000", Request("query " + Deep(5_000)), false);
        yield return new("deep brackets 100k", Request("query { me(x: " + new string('[', 100_000) + ") { kind } }"), false);
        yield return new("deep input object", Request("mutation { tap(input: " + string.Concat(Enumerable.Repeat("{ a: ", 3_000)) + "1" + new string('}', 3_000) + ") { outcome } }"), true);
        yield return new("1000 aliases of me", Request("{ " + string.Join(" ", Enumerable.Range(0, 1_000).Select(i => $"a{i}: me {{ kind }}")) + " }"), false);
        yield return new("500 aliased logins", Request("mutation { " + string.Join(" ", Enumerable.Range(0, 500).Select(i => $"l{i}: login(email: \"a{i}@x.y\", secret: \"s\") {{ token }}")) + " }"), true);
        yield return new("300 aliased verifyLedger", Request("{ " + string.Join(" ", Enumerable.Range(0, 300).Select(i => $"v{i}: verifyLedger {{ clean }}")) + " }"), false);
        yield return new("fragment cycle", Request("query { me { ...A } } fragment A on Viewer { ...B } fragment B on Viewer { ...A }"), false);
        yield return new("fragment on unknown type", Request("query { me { ...A } } fragment A on Nope { kind }"), false);
        yield return new("50 fragments spread wide", Request("query { me { " + string.Join(" ", Enumerable.Range(0, 50).Select(i => $"...F{i}")) + " } } " + string.Join(" ", Enumerable.Range(0, 50).Select(i => $"fragment F{i} on Viewer {{ kind }}"))), false);
        yield return new("unknown directive", Request("query { me @nope { kind } }"), false);
        yield return new("skip with a string", Request("query { me @skip(if: \"yes\") { kind } }"), false);
        yield return new("two anonymous operations", Request("{ me { kind } } { me { kind } }"), false);
        yield return new("operation name not found", JsonSerializer.Serialize(new { query = "query A { me { kind } }", operationName = "B" }), false);
        yield return new("duplicate operation names", Request("query A { me { kind } } query A { me { kind } }"), false);
        yield return new("subscription over POST", Request("subscription { pointOfSaleEvents(venueId: \"x\", pointOfSaleId: \"y\") { kind } }"), false);
        yield return new("variables as a string", JsonSerializer.Serialize(new { query = "query($v: String) { me { kind } }", variables = "{\"v\":1}" }), false);
        yield return new("variables as an array", JsonSerializer.Serialize(new { query = "query($v: String) { me { kind } }", variables = new[] { 1 } }), false);
        yield return new("query as a number", "{\"query\": 42}", false);
        yield return new("query missing", "{\"variables\": {}}", false);
        yield return new("query null", "{\"query\": null}", false);
        yield return new("empty body", "", false);
        yield return new("not json", "query { me { kind } }", false);
        yield return new("truncated json", "{\"query\": \"{ me { kind } }\"", false);
        yield return new("json array batch", "[{\"query\": \"{ me { kind } }\"}, {\"query\": \"{ me { kind } }\"}]", false);
        yield return new("json deep nesting", new string('[', 10_000) + new string(']', 10_000), false);
        yield return new("json number overflow in variables", "{\"query\": \"query($v: Long!) { me { kind } }\", \"variables\": {\"v\": 1e99999}}", false);
        yield return new("invalid utf-8 escape", "{\"query\": \"{ me { kind } }\\ud800\"}", false);
        yield return new("oversized body 3 MB", Request("{ me { kind } }" + new string(' ', 3_000_000)), false);
        yield return new("oversized string 3 MB", Request("mutation { login(email: \"" + new string('a', 3_000_000) + "\", secret: \"x\") { token } }"), true);
        yield return new("many variables", JsonSerializer.Serialize(new { query = "{ me { kind } }", variables = Enumerable.Range(0, 10_000).ToDictionary(i => $"v{i}", i => i) }), false);
        yield return new("introspection deep", Request("{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }"), false);
        yield return new("typename on mutation root", Request("mutation { __typename }"), true);
        yield return new("comment only", Request("# nothing"), false);
        yield return new("unterminated string", Request("{ venue(id: \"abc) { name } }"), false);
        yield return new("block string unterminated", Request("{ venue(id: \"\"\"abc) { name } }"), false);
    }
}
