using System.Net;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Foundation;

/// <summary>Authentication from day one: keys required, the loopback allowance refused where it would open everything.</summary>
public sealed class AccessTests(AppFixture fixture, LocalStack stack) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("GET", "api/jobs/job-00000000-0000-0000-0000-000000000000")]
    [InlineData("GET", "api/event-job/jobs/job-00000000-0000-0000-0000-000000000000")]
    [InlineData("POST", "api/event-job/jobs")]
    [InlineData("POST", "api/jobs")]
    [InlineData("GET", "api/event-job/files/jobs/job-00000000-0000-0000-0000-000000000000/a.md")]
    public async Task Without_a_key_the_api_answers_401_in_the_error_envelope(string method, string path)
    {
        using var client = fixture.App.Client();

        var (status, body) = await Api.SendAsync(client, new HttpMethod(method), path, method == "POST" ? new { url = "http://example.org/" } : null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("error", body["status"]!.GetValue<string>());
        Assert.Equal("unauthorized", body["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_key_answers_401_and_a_user_key_with_x_user_id_answers_403()
    {
        using var wrong = fixture.App.Client("emk_not_a_key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(wrong, HttpMethod.Get, "api/jobs/job-00000000-0000-0000-0000-000000000000")).Status);

        using var alice = fixture.App.Client(fixture.Keys.Alice);
        alice.DefaultRequestHeaders.Add("X-User-ID", "bob");
        var (status, body) = await Api.SendAsync(alice, HttpMethod.Get, "api/jobs/job-00000000-0000-0000-0000-000000000000");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", body["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_service_key_acts_for_the_user_it_names()
    {
        fixture.Pages.Html("/access/svc.html", "<html><body><h1>Svc</h1><p>x</p></body></html>");
        using var service = fixture.App.Client(fixture.Keys.Service);
        service.DefaultRequestHeaders.Add("X-User-ID", "alice");
        using var alice = fixture.App.Client(fixture.Keys.Alice);

        var jobId = await Api.CreateJobAsync(service, new { url = fixture.Pages.Url("/access/svc.html") });
        var (status, body) = await Api.SendAsync(alice, HttpMethod.Get, $"api/jobs/{jobId}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("alice", body["job"]!["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_ids_answer_400_and_unknown_ids_404()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var (bad, badBody) = await Api.SendAsync(client, HttpMethod.Get, "api/jobs/not-a-job");
        var (unknown, _) = await Api.SendAsync(client, HttpMethod.Get, $"api/jobs/job-{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("invalid_id", badBody["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Theory]
    [InlineData("{not json", "invalid_json")]
    [InlineData("[1,2]", "invalid_body")]
    [InlineData("{\"url\": 5}", "invalid_field")]
    [InlineData("{\"event\": \"x\"}", "missing_field")]
    [InlineData("{\"url\": \"file:///etc/passwd\"}", "invalid_url")]
    [InlineData("{\"url\": \"http://x.org/\", \"filename\": \"../../etc/passwd\"}", "invalid_field")]
    public async Task Bad_create_bodies_answer_400_with_a_code(string body, string code)
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var (status, json) = await Api.SendAsync(client, HttpMethod.Post, "api/event-job/jobs", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, json["error"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("api/event-job/files/jobs/job-00000000-0000-0000-0000-000000000000/%2e%2e/%2e%2e/x.md")]
    [InlineData("api/event-job/files/jobs/job-00000000-0000-0000-0000-000000000000/a%5C..%5Cb.md")]
    [InlineData("api/event-job/files/%2Fetc%2Fpasswd")]
    [InlineData("api/event-job/files/jobs/job-00000000-0000-0000-0000-000000000000/%C0%AE%C0%AE/x.md")]
    [InlineData("api/event-job/files/jobs/job-00000000-0000-0000-0000-000000000000/%252e%252e/x.md")]
    public async Task File_paths_that_try_to_leave_the_root_are_refused(string path)
    {
        using var client = fixture.App.Client(fixture.Keys.Admin);

        using var response = await client.GetAsync(new Uri(fixture.App.BaseAddress, path));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path} answered {(int)response.StatusCode}");
        Assert.Contains("\"status\":\"error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nul_byte_in_the_path_is_rejected_before_any_file_is_read()
    {
        // Kestrel itself rejects NUL in the request target with a bodyless 400, before the app runs.
        using var client = fixture.App.Client(fixture.Keys.Admin);
        using var response = await client.GetAsync(new Uri(fixture.App.BaseAddress, "api/event-job/files/jobs/job-00000000-0000-0000-0000-000000000000/a%00.md"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_answer_in_the_error_envelope()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var (notFound, body404) = await Api.SendAsync(client, HttpMethod.Get, "api/nothing-here");
        var (notAllowed, body405) = await Api.SendAsync(client, HttpMethod.Delete, "api/jobs");

        Assert.Equal(HttpStatusCode.NotFound, notFound);
        Assert.Equal("not_found", body404["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, notAllowed);
        Assert.Equal("method_not_allowed", body405["error"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Auth__AllowAnonymousLoopback", "true")]
    [InlineData("Fetch__AllowedOrigins__0", "http://127.0.0.1:9")]
    [InlineData("Faults__ThrowForUrlPrefix", "http://127.0.0.1:9/")]
    public async Task The_app_refuses_to_start_with_an_allowance_under_the_functions_host(string setting, string value)
    {
        var env = stack.AppEnvironment("refused");
        env[setting] = value;
        env["FUNCTIONS_CUSTOMHANDLER_PORT"] = Ports.Free().ToString();
        env["ASPNETCORE_ENVIRONMENT"] = "Development";
        await using var process = new ChildProcess("dotnet", [RepoPaths.AppDll], env, RepoPaths.AppDirectory);

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the app kept running");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Refusing to start", process.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Auth__AllowAnonymousLoopback", "true")]
    [InlineData("Faults__ThrowForUrlPrefix", "http://127.0.0.1:9/")]
    public async Task The_app_refuses_a_development_allowance_outside_development(string setting, string value)
    {
        var env = stack.AppEnvironment("refused");
        env[setting] = value;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        await using var process = new ChildProcess("dotnet", [RepoPaths.AppDll], env, RepoPaths.AppDirectory);

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the app kept running");
        Assert.Contains("only in the Development environment", process.Output, StringComparison.Ordinal);
    }
}
