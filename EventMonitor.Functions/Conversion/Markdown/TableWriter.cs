using HtmlAgilityPack;

namespace EventMonitor.Functions.Conversion.Markdown;

/// <summary>GFM pipe tables; layout tables (one cell) are walked as ordinary blocks instead.</summary>
internal static class TableWriter
{
    private const int MaxColumns = 50;

    public static bool IsDataTable(HtmlNode table)
    {
        var rows = Rows(table);
        return rows.Count > 0 && (rows.Count > 1 || Cells(rows[0]).Count > 1);
    }

    public static IEnumerable<string> Write(HtmlNode table, Func<HtmlNode, string> cellText)
    {
        var rows = Rows(table);
        var grid = rows.Select(r => Cells(r).SelectMany(c => Expand(c, cellText)).Take(MaxColumns).ToList()).ToList();
        var columns = Math.Max(1, grid.Max(r => r.Count));
        var headerIsReal = Cells(rows[0]).All(c => c.Name == "th") || rows[0].ParentNode?.Name == "thead";
        var header = headerIsReal ? grid[0] : [.. Enumerable.Repeat("", columns)];
        yield return Line(header, columns);
        yield return "|" + string.Concat(Enumerable.Repeat(" --- |", columns));
        foreach (var row in headerIsReal ? grid.Skip(1) : grid)
        {
            yield return Line(row, columns);
        }
    }

    private static IEnumerable<string> Expand(HtmlNode cell, Func<HtmlNode, string> cellText)
    {
        yield return cellText(cell);
        var span = Math.Clamp(cell.GetAttributeValue("colspan", 1), 1, MaxColumns);
        for (var i = 1; i < span; i++)
        {
            yield return "";
        }
    }

    private static string Line(List<string> cells, int columns) =>
        "|" + string.Concat(Enumerable.Range(0, columns).Select(i => " " + (i < cells.Count ? cells[i] : "") + " |")).Replace("  |", " |", StringComparison.Ordinal);

    /// <summary>The table's own rows (not those of nested tables), header sections first.</summary>
    private static List<HtmlNode> Rows(HtmlNode table)
    {
        var rows = new List<HtmlNode>();
        foreach (var section in new[] { "thead", "tbody", "", "tfoot" })
        {
            foreach (var child in table.ChildNodes)
            {
                if (section.Length == 0 && child.Name == "tr")
                {
                    rows.Add(child);
                }
                else if (section.Length > 0 && child.Name == section)
                {
                    rows.AddRange(child.ChildNodes.Where(n => n.Name == "tr"));
                }
            }
        }
        return rows;
    }

    private static List<HtmlNode> Cells(HtmlNode row) => row.ChildNodes.Where(n => n.Name is "td" or "th").ToList();
}
