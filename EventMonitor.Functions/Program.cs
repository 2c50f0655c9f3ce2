using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Conversion;
using EventMonitor.Functions.CustomHandler;
using EventMonitor.Functions.Dashboard;
using EventMonitor.Functions.DeadLetters;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using EventMonitor.Functions.Orchestration;
using EventMonitor.Functions.Webhooks;
using EventMonitor.Functions.Telemetry;

switch (args.FirstOrDefault())
{
    case "convert":
        return await ConvertCommand.RunAsync(args[1..]);
    case "keys":
        return await KeysCommand.RunAsync(args[1..]);
}

// Settings and function.json files sit beside the executable, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

if (StartupGuard.Refusal(builder.Configuration, builder.Environment) is { } refusal)
{
    await Console.Error.WriteLineAsync(refusal);
    return 2;
}

builder.AddHosting();
builder.AddTelemetry();
builder.Services.AddCorsAllowList(builder.Configuration);
builder.Services.AddAccessControl();
builder.Services.AddStorage();
builder.Services.AddEvents();
builder.Services.AddJobs();
builder.Services.AddBatches();
builder.Services.AddFiles();
builder.Services.AddConversion();
builder.Services.AddOrchestration();
builder.Services.AddDeadLetters();
builder.Services.AddWebhooks();
builder.Services.AddTriggerRunner();
builder.Services.AddApiDocument();
builder.Services.AddDashboard();

var app = builder.Build();

app.UseCorrelation();
app.UseHosting();
app.UseCorsAllowList();
app.UseAccessControl();
app.UseIdempotency();

app.MapReadiness();
app.MapApiDocument();
app.MapHealth();
app.MapJobsApi();
app.MapJobsV2Api();
app.MapBatchesApi();
app.MapFilesApi();
app.MapDeadLettersApi();
app.MapOrchestrationTriggers();
app.MapDashboard();

await app.RunAsync();
return 0;

/// <summary>Entry point marker for tests.</summary>
public partial class Program;
