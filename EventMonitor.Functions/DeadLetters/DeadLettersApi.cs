using System.Text.Json;
using System.Text.Json.Nodes;
using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventMonitor.Functions.DeadLetters;

/// <summary>The admin endpoints for poison messages under <c>/api/admin/dead-letters</c>.</summary>
internal static class DeadLettersApi
{
    public static IServiceCollection AddDeadLetters(this IServiceCollection services)
    {
        services.AddSingleton<DeadLetterStore>();
        services.AddSingleton<DeadLetterService>();
        return services;
    }

    public static RouteGroupBuilder MapDeadLettersApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/dead-letters").WithTags("Admin").WithCommonErrors().AddEndpointFilter(async (context, next) =>
        {
            // Checked before the id is even looked at, so nobody else learns which dead letters exist.
            if (!context.HttpContext.GetCaller().IsAdmin)
            {
                throw ApiException.Forbidden("Only admins may see or re-drive dead letters.");
            }
            return await next(context);
        });
        group.MapGet("/", List).WithName("ListDeadLetters");
        group.MapPost("/{deadLetterId}/redrive", Redrive).WithName("RedriveDeadLetter").TakesNoBody().WithErrors(StatusCodes.Status409Conflict);
        group.MapDelete("/{deadLetterId}", Discard).WithName("DiscardDeadLetter").TakesNoBody();
        return group;
    }

    /// <summary>Newest first by default; <c>order</c>, <c>limit</c> and <c>skip</c> as in every list.</summary>
    private static async Task<Ok<Success<JsonObject>>> List(HttpContext context, DeadLetterService letters, CancellationToken cancellationToken)
    {
        var list = ListQuery.Parse(context.Request, DeadLetterStore.Sortable, []);
        var (page, total) = await letters.ListAsync(list, cancellationToken);
        return TypedResults.Ok(new Success<JsonObject>(ListData.Of("dead_letters", page.Select(DeadLetterView.Of), total, list)));
    }

    private static async Task<Ok<Success<JsonObject>>> Redrive(string deadLetterId, DeadLetterService letters, CancellationToken cancellationToken)
    {
        var job = await letters.RedriveAsync(deadLetterId, cancellationToken);
        var data = new JsonObject
        {
            ["dead_letter_id"] = deadLetterId,
            ["redriven"] = true,
            ["job"] = job is null ? null : JsonSerializer.SerializeToNode(JobView.Of(job), AppJson.Options),
        };
        return TypedResults.Ok(new Success<JsonObject>(data, "Work item queued again."));
    }

    private static async Task<Ok<Success<JsonObject>>> Discard(string deadLetterId, DeadLetterService letters, CancellationToken cancellationToken)
    {
        await letters.DiscardAsync(deadLetterId, cancellationToken);
        return TypedResults.Ok(new Success<JsonObject>(new JsonObject { ["dead_letter_id"] = deadLetterId, ["deleted"] = true }, "Dead letter discarded."));
    }
}
