/// The report's inline CSS: system fonts, light and dark colour schemes from two palettes, and print rules.
enum HTMLStyleSheet {
    /// The whole style sheet; it never contains `<` or `&`, so the page also parses as XML.
    static func css(light: Palette, dark: Palette) -> String {
        """
        :root{\(variables(light))color-scheme:light dark}
        @media screen and (prefers-color-scheme:dark){:root{\(variables(dark))}\(chartOverrides())}
        *,*::before,*::after{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
        body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;font-kerning:normal}
        .page{max-width:68rem;margin:0 auto;padding:2rem 1.5rem 3rem}
        header.report-header{border-bottom:1px solid var(--grid);padding-bottom:1rem;margin-bottom:1.5rem}
        h1{font-size:1.9rem;line-height:1.2;margin:0 0 .25rem;letter-spacing:-.01em}
        h2{font-size:1.35rem;line-height:1.3;margin:2.25rem 0 .75rem;padding-bottom:.3rem;border-bottom:1px solid var(--grid)}
        h3{font-size:1.1rem;margin:1.5rem 0 .5rem}
        p,ul{margin:.5rem 0 1rem;max-width:48rem}
        .subtitle{color:var(--muted);font-size:1.1rem;margin:0 0 .75rem}
        dl.meta{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;margin:0;font-size:.85rem;color:var(--muted)}
        dl.meta div{display:flex;gap:.4rem}
        dl.meta dt{font-weight:600}
        dl.meta dd{margin:0;font-variant-numeric:tabular-nums}
        nav.toc{font-size:.9rem;margin-bottom:1rem}
        nav.toc ol{margin:.25rem 0;padding-left:1.25rem;columns:2 16rem}
        a{color:var(--accent)}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.75rem;margin:1rem 0}
        .card{background:var(--surface);border:1px solid var(--grid);border-left:4px solid var(--grid);border-radius:8px;padding:.7rem .9rem;break-inside:avoid}
        .card-label{font-size:.8rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
        .card-value{font-size:1.6rem;font-weight:650;font-variant-numeric:tabular-nums;line-height:1.25}
        .card-detail{font-size:.85rem;color:var(--muted)}
        .tone-good{border-left-color:var(--good)}
        .tone-warning{border-left-color:var(--warning)}
        .tone-bad{border-left-color:var(--danger)}
        .tone-bad .card-value{color:var(--danger)}
        .callout{display:flex;gap:.6rem;border:1px solid var(--grid);border-left:4px solid var(--accent);border-radius:6px;background:var(--surface);padding:.6rem .9rem;margin:1rem 0;max-width:48rem;break-inside:avoid}
        .callout-icon{font-weight:700}
        .callout p{margin:0}
        .callout-warning{border-left-color:var(--warning)}
        .callout-warning .callout-icon{color:var(--warning)}
        .callout-danger{border-left-color:var(--danger)}
        .callout-danger .callout-icon{color:var(--danger)}
        .callout-success{border-left-color:var(--good)}
        .callout-success .callout-icon{color:var(--good)}
        .callout-note .callout-icon{color:var(--accent)}
        .table-wrap{overflow-x:auto;margin:1rem 0}
        table{border-collapse:collapse;font-size:.9rem;min-width:50%}
        caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem;caption-side:top}
        th,td{padding:.35rem .75rem;border-bottom:1px solid var(--grid);text-align:left;vertical-align:top}
        thead th{background:var(--surface);border-bottom:2px solid var(--grid);font-weight:600}
        tbody tr:hover{background:var(--surface)}
        .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        td.flag{color:var(--warning);font-weight:650}
        td.bad{color:var(--danger);font-weight:650}
        td.good{color:var(--good)}
        td.muted{color:var(--muted)}
        figure.chart{margin:1.25rem 0;break-inside:avoid}
        figure.chart svg{display:block;max-width:100%;height:auto}
        figcaption{font-size:.85rem;color:var(--muted);margin-top:.35rem;max-width:48rem}
        details{margin:1rem 0;border:1px solid var(--grid);border-radius:6px;background:var(--surface)}
        summary{cursor:pointer;padding:.5rem .9rem;font-weight:600}
        details pre{margin:0;padding:.75rem .9rem;overflow:auto;max-height:32rem;border-top:1px solid var(--grid);font:.8rem/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
        footer{margin-top:3rem;font-size:.8rem;color:var(--muted)}
        @media print{body{font-size:11pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}.page{max-width:none;padding:0}nav.toc{display:none}h2,h3{break-after:avoid}tbody tr:hover{background:none}.table-wrap{overflow:visible}a{color:inherit;text-decoration:none}}
        """
    }

    private static func variables(_ palette: Palette) -> String {
        var out = "--bg:\(palette.background);--surface:\(palette.surface);--fg:\(palette.foreground);--muted:\(palette.muted);"
        out += "--grid:\(palette.grid);--accent:\(palette.accent);--warning:\(palette.warning);--danger:\(palette.danger);"
        out += "--good:\(palette.good);--ref:\(palette.reference);"
        for index in 0..<Palette.styledSeriesCount { out += "--s\(index):\(palette.seriesColor(index));" }
        return out
    }

    /// Chart colours come from SVG attributes (so a chart also stands alone); in dark mode these class rules win over them.
    private static func chartOverrides() -> String {
        var out = ".cx-text{fill:var(--fg)}.cx-muted{fill:var(--muted)}.cx-grid{stroke:var(--grid)}.cx-axis-line{stroke:var(--muted)}"
        out += ".cx-bar{fill:var(--accent)}.cx-bar-highlight{fill:var(--warning)}.cx-whisker{stroke:var(--fg)}"
        out += ".cx-value{stroke:var(--bg)}.cx-ref{stroke:var(--ref)}.cx-ref-label{fill:var(--ref)}"
        for index in 0..<Palette.styledSeriesCount { out += ".cx-line-\(index){stroke:var(--s\(index))}.cx-mark-\(index){fill:var(--s\(index))}" }
        return out
    }
}
