namespace EventMonitor.Functions.Hosting;

/// <summary>Declares the error envelope in the OpenAPI document for the statuses an endpoint can answer.</summary>
internal static class ErrorResponses
{
    /// <summary>
    /// What every authenticated endpoint can answer: bad input, no key, a role violation; and, where
    /// the route names a resource by an id or path, not found.
    /// </summary>
    public static TBuilder WithCommonErrors<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        builder.Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.Parameters.Count: > 0 })
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status404NotFound, typeof(ErrorEnvelope), ["application/json"]));
            }
        });
        return builder;
    }

    public static TBuilder WithErrors<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ErrorEnvelope), ["application/json"]));
        }
        return builder;
    }
}
