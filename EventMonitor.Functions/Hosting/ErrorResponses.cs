namespace EventMonitor.Functions.Hosting;

/// <summary>Declares the error envelope in the OpenAPI document for the statuses an endpoint can answer.</summary>
internal static class ErrorResponses
{
    /// <summary>What every authenticated endpoint can answer: bad input, no key, a role violation, not found.</summary>
    public static TBuilder WithCommonErrors<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);

    public static TBuilder WithErrors<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ErrorEnvelope), ["application/json"]));
        }
        return builder;
    }
}
