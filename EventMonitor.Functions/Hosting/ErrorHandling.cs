using System.Text.Json;

namespace EventMonitor.Functions.Hosting;

/// <summary>Turns every failure, the framework's own included, into the error envelope; never a stack trace.</summary>
internal static partial class ErrorHandling
{
    public static IApplicationBuilder UseErrorEnvelope(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (ApiException ex) when (!context.Response.HasStarted)
            {
                await WriteAsync(context, ex.Status, ex.Code, ex.Message, ex.Details);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                var code = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "payload_too_large" : "bad_request";
                await WriteAsync(context, ex.StatusCode, code, ex.StatusCode == 413 ? "The request body is too large." : "The request could not be read.");
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; there is nobody to answer.
            }
            catch (Exception ex) when (!context.Response.HasStarted)
            {
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EventMonitor.Errors");
                LogUnhandled(logger, context.Request.Method, context.Request.Path, ex);
                await WriteAsync(context, StatusCodes.Status500InternalServerError, "internal_error", "The server failed to handle the request.");
            }
        });

        // Statuses the framework sets without a body (unknown route, wrong method, 415) still get the envelope.
        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var (code, message) = context.Response.StatusCode switch
            {
                404 => ("not_found", "No such resource."),
                405 => ("method_not_allowed", $"Method {context.Request.Method} is not allowed here."),
                413 => ("payload_too_large", "The request body is too large."),
                415 => ("unsupported_media_type", "The request body must be application/json."),
                401 => ("unauthorized", "An API key is required."),
                403 => ("forbidden", "This operation is not allowed for the caller."),
                _ => ("bad_request", "The request could not be handled."),
            };
            await WriteAsync(context, context.Response.StatusCode, code, message);
        });
        return app;
    }

    public static async Task WriteAsync(HttpContext context, int status, string code, string message, IReadOnlyDictionary<string, object?>? details = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var envelope = ErrorEnvelope.Of(code, message, details);
        await JsonSerializer.SerializeAsync(context.Response.Body, envelope, AppJson.Options, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, PathString path, Exception ex);
}
