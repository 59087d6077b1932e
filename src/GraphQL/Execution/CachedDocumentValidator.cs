using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Instrumentation;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Execution;

/// <summary>
/// The document validator. A document that <see cref="DocumentCache"/> keeps has passed every rule, but each request
/// still needs its variables coerced and its field arguments parsed, which is where scalars and argument and input-field
/// <c>Validate</c> delegates refuse bad values. GraphQL.NET's validator finds both by walking the whole document again
/// on every request (once for the variables' usages, once for the arguments): at half the peak rate of <c>pay</c> that
/// was a sixth of the machine's CPU. For a kept document this validator does the same per-request work from a plan
/// noted once (the fields that carry arguments, with their definitions), on validation contexts that keep the
/// document's variable usages. A document the plan cannot describe (fragments, directives), a request with rules to
/// run and a document it has not been told about all go to GraphQL.NET's validator unchanged.
/// </summary>
public sealed class CachedDocumentValidator : IDocumentValidator
{
    private readonly DocumentValidator _full = new();
    private readonly ConditionalWeakTable<GraphQLDocument, DocumentPlan> _plans = [];
    private long _planned;

    /// <summary>Requests validated from a plan rather than by GraphQL.NET's walk (for tests and diagnostics).</summary>
    public long PlannedValidations => Interlocked.Read(ref _planned);

    /// <summary>
    /// Notes the plan of a document that passed validation and is kept for reuse. Only documents that passed every rule
    /// may be given here: from then on a request for it with no rules to run skips the rules.
    /// </summary>
    public void Remember(ISchema schema, GraphQLDocument document)
    {
        if (DocumentPlan.TryCreate(schema, document) is { } plan)
        {
            _plans.AddOrUpdate(document, plan);
        }
    }

    public Task<IValidationResult> ValidateAsync(in ValidationOptions options)
    {
        if (options.Rules is ICollection<IValidationRule> { Count: 0 }
            && _plans.TryGetValue(options.Document, out var plan)
            && ReferenceEquals(plan.Schema, options.Schema)
            && plan.For(options.Operation) is { } operation)
        {
            Interlocked.Increment(ref _planned);
            return ValidatePlannedAsync(operation, new RequestValues(options.Variables, options.Extensions, options.UserContext, options.Metrics,
                options.RequestServices, options.User, options.CancellationToken));
        }

        return _full.ValidateAsync(options);
    }

    /// <summary>What GraphQL.NET's validator does after the rules (variables, then every field's arguments), from the plan.</summary>
    private static async Task<IValidationResult> ValidatePlannedAsync(OperationPlan plan, RequestValues request)
    {
        var context = plan.Rent();
        request.ApplyTo(context);
        try
        {
            var (variables, errors) = await context.GetVariablesValuesAsync().ConfigureAwait(false);
            if (errors is not null)
            {
                foreach (var error in errors)
                {
                    context.ReportError(error);
                }

                return new ValidationResult(context.Errors) { Variables = variables };
            }

            Dictionary<GraphQLField, IDictionary<string, ArgumentValue>>? arguments = null;
            foreach (var (field, definition) in plan.ArgumentFields)
            {
                try
                {
                    if (ExecutionHelper.GetArguments(definition.Arguments, field.Arguments, variables, context.Document, field, null) is { } values)
                    {
                        (arguments ??= []).Add(field, values);
                    }
                }
                catch (ValidationError error)
                {
                    context.ReportError(error);
                }
            }

            return new ValidationResult(context.Errors) { Variables = variables, ArgumentValues = arguments };
        }
        finally
        {
            plan.Return(context);
        }
    }

    /// <summary>The per-request inputs of a validation (the options are an <c>in</c> struct, which an async method cannot keep).</summary>
    private readonly record struct RequestValues(Inputs Variables, Inputs Extensions, IDictionary<string, object?> UserContext, Metrics Metrics,
        IServiceProvider? RequestServices, ClaimsPrincipal? User, CancellationToken CancellationToken)
    {
        public void ApplyTo(ValidationContext context)
        {
            context.Variables = Variables;
            context.Extensions = Extensions;
            context.UserContext = UserContext;
            context.Metrics = Metrics;
            context.RequestServices = RequestServices;
            context.User = User;
            context.CancellationToken = CancellationToken;
        }

        /// <summary>Drops a served request's values, so a pooled context keeps no caller, services or inputs alive.</summary>
        public static void Clear(ValidationContext context) => new RequestValues(null!, null!, null!, null!, null, null, default).ApplyTo(context);
    }

    /// <summary>One plan per operation of a document (a request picks one by name).</summary>
    private sealed class DocumentPlan(ISchema schema, OperationPlan[] operations)
    {
        public ISchema Schema { get; } = schema;

        public OperationPlan? For(GraphQLOperationDefinition? operation)
        {
            // A loop, not Array.Find: this runs on every request, and the lambda would capture the operation.
            foreach (var plan in operations)
            {
                if (ReferenceEquals(plan.Operation, operation))
                {
                    return plan;
                }
            }

            return null;
        }

        public static DocumentPlan? TryCreate(ISchema schema, GraphQLDocument document)
        {
            var operations = new List<OperationPlan>();
            foreach (var definition in document.Definitions)
            {
                // Fragments would need the visitor's fragment bookkeeping: such documents keep the full path.
                if (definition is not GraphQLOperationDefinition operation || OperationPlan.TryCreate(schema, document, operation) is not { } plan)
                {
                    return null;
                }

                operations.Add(plan);
            }

            return new DocumentPlan(schema, [.. operations]);
        }
    }

    /// <summary>
    /// The fields of one operation that carry arguments, with their definitions, and a few validation contexts that
    /// already know the operation's variable usages (a context keeps them until it is reset, which these never are).
    /// </summary>
    private sealed class OperationPlan
    {
        private const int MaxPooledContexts = 64;

        private readonly ISchema _schema;
        private readonly GraphQLDocument _document;
        private readonly ConcurrentBag<ValidationContext> _contexts = [];

        private OperationPlan(ISchema schema, GraphQLDocument document, GraphQLOperationDefinition operation, (GraphQLField, FieldType)[] argumentFields)
        {
            _schema = schema;
            _document = document;
            Operation = operation;
            ArgumentFields = argumentFields;
        }

        public GraphQLOperationDefinition Operation { get; }

        public (GraphQLField Field, FieldType Definition)[] ArgumentFields { get; }

        public static OperationPlan? TryCreate(ISchema schema, GraphQLDocument document, GraphQLOperationDefinition operation)
        {
            IComplexGraphType? root = operation.Operation switch
            {
                OperationType.Query => schema.Query,
                OperationType.Mutation => schema.Mutation,
                OperationType.Subscription => schema.Subscription,
                _ => null,
            };
            if (root is null || HasDirectives(operation) || operation.Variables?.Items.Any(HasDirectives) == true)
            {
                return null;
            }

            var fields = new List<(GraphQLField, FieldType)>();
            return Collect(schema, root, operation.SelectionSet, fields) ? new OperationPlan(schema, document, operation, [.. fields]) : null;
        }

        public ValidationContext Rent()
        {
            if (_contexts.TryTake(out var context))
            {
                return context;
            }

            context = new ValidationContext { Schema = _schema, Document = _document, Operation = Operation, TypeInfo = new TypeInfo(_schema) };
            // Walks the operation once; the context keeps the usages for every later request it serves.
            _ = context.GetRecursiveVariables(Operation);
            return context;
        }

        public void Return(ValidationContext context)
        {
            // A context that reported errors keeps them: it is dropped, never reused.
            if (context.HasErrors || _contexts.Count >= MaxPooledContexts)
            {
                return;
            }

            RequestValues.Clear(context);
            _contexts.Add(context);
        }

        /// <summary>As GraphQL.NET's argument walk finds fields and their definitions; false for what the plan does not cover.</summary>
        private static bool Collect(ISchema schema, IComplexGraphType parent, GraphQLSelectionSet selectionSet, List<(GraphQLField, FieldType)> fields)
        {
            foreach (var selection in selectionSet.Selections)
            {
                if (selection is not GraphQLField field || HasDirectives(field))
                {
                    return false;
                }

                var name = field.Name.Value;
                var definition = name == schema.TypeMetaFieldType.Name ? schema.TypeMetaFieldType
                    : name == schema.TypeNameMetaFieldType.Name ? schema.TypeNameMetaFieldType
                    : name == schema.SchemaMetaFieldType.Name ? schema.SchemaMetaFieldType
                    : parent.Fields.Find(name);
                if (definition is null)
                {
                    return false;
                }

                if (field.Arguments is { Count: > 0 })
                {
                    fields.Add((field, definition));
                }

                if (field.SelectionSet is { } children
                    && (definition.ResolvedType?.GetNamedType() is not IComplexGraphType type || !Collect(schema, type, children, fields)))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool HasDirectives(IHasDirectivesNode node) => node.Directives is { Count: > 0 };
    }
}
