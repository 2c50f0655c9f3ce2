using EventMonitor.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(LocalStack))]
