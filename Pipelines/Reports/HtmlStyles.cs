namespace MlNetMnist.Pipelines.Reports;

/// <summary>The report's style sheet, inlined in a &lt;style&gt; element (no external resources).</summary>
internal static class HtmlStyles
{
    public const string Css = """
        :root { --ink: #1f2328; --muted: #656d76; --line: #d0d7de; --soft: #f6f8fa; --accent: #0b5cad; --bad: #b0101f; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; }
        main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
        h1 { font-size: 28px; margin: 0 0 4px; }
        h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
        p.meta, p.note { color: var(--muted); margin: 4px 0 12px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin-top: 18px; }
        .card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--soft); }
        .card .label { color: var(--muted); font-size: 13px; }
        .card .value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
        .card .detail { color: var(--muted); font-size: 12px; }
        .card.main { border-color: var(--accent); background: #eef5fc; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        th, td { padding: 5px 10px; text-align: right; }
        table.data th { border-bottom: 2px solid var(--line); background: var(--soft); }
        table.data td { border-bottom: 1px solid var(--line); }
        table.data tr.worst td { background: #fff1f0; }
        table.matrix { margin: 6px 0; }
        table.matrix td.cell { width: 58px; height: 44px; text-align: center; border: 1px solid #fff; font-size: 14px; }
        table.matrix td.diag { font-weight: 700; }
        table.matrix td.zero { color: #b5b5b5; }
        table.matrix th { text-align: center; color: var(--muted); font-weight: 600; }
        table.matrix th.digit { color: var(--ink); font-size: 15px; }
        table.matrix th.row { text-align: right; }
        table.matrix td.ratio { color: var(--muted); font-size: 13px; text-align: center; }
        table.matrix td.corner { font-weight: 700; color: var(--ink); text-align: center; font-size: 13px; }
        .axis { color: var(--muted); font-size: 13px; }
        .legend span { display: inline-block; width: 14px; height: 14px; vertical-align: -2px; margin: 0 4px 0 12px; border-radius: 3px; }
        img.digit { width: 56px; height: 56px; image-rendering: pixelated; border: 1px solid var(--line); background: #fff; }
        .confusions { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 12px; }
        .confusion { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
        .confusion h3 { margin: 0 0 6px; font-size: 17px; }
        .confusion h3 small { color: var(--muted); font-weight: 400; font-size: 13px; }
        .thumbs { display: flex; flex-wrap: wrap; gap: 6px; }
        .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(96px, 1fr)); gap: 10px; }
        figure { margin: 0; text-align: center; }
        figure img.digit { width: 84px; height: 84px; }
        figcaption { font-size: 13px; line-height: 1.3; }
        figcaption b { color: var(--bad); }
        figcaption span { display: block; color: var(--muted); font-size: 11px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        img.curves { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
        footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
        """;
}
