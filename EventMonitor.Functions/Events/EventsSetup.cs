namespace EventMonitor.Functions.Events;

internal static class EventsSetup
{
    public static IServiceCollection AddEvents(this IServiceCollection services) => services.AddSingleton<EventLog>();
}
