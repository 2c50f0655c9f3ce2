namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>One platform's reading of a session page; null when the page is not that platform's.</summary>
internal interface ISessionExtractor
{
    SessionRecord? Extract(PageContext page);
}
