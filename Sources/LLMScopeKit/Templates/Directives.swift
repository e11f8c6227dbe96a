/// Every directive a template can use. Templates/README.md documents the same list.
public enum Directives {
  public static let all: [DirectiveDefinition] = [
    figure, figures, compare, table, chart, prices, whatIf, traces, spanSearch, links, traceSummary, waterfall, spanDetails,
  ]

  static func named(_ name: String) -> DirectiveDefinition? { all.first { $0.name == name } }

  static let figureNames = FigureName.allCases.map(\.rawValue)

  // MARK: - figure

  static let figure = DirectiveDefinition(
    name: "figure", summary: "One figure of the page's scope, with its unit.",
    arguments: [
      DirectiveArgument(key: "", summary: "the figure", allowed: figureNames),
      appArgument,
      DirectiveArgument(key: "label", summary: "show the figure's label", allowed: ["yes", "no"], defaultValue: "no"),
    ],
    example: "{{ figure llm_latency_p95 }}",
    render: { args, call, context throws(TemplateError) in
      let name = FigureName(rawValue: args[""]!)!
      let f = try figures(args["app"]!, call, context)
      var parts = [HTML.element("span", [("class", "figure-value")] + provenance(name, f, context), text: name.formatted(in: f))]
      if args["label"] == "yes" { parts.append(.text(" ") + .element("span", [("class", "figure-label")], text: name.label)) }
      return .element("span", [("class", "figure")] + source(args["app"]!, context).attributes(name, f), parts)
    })

  // MARK: - figures

  static let figures = DirectiveDefinition(
    name: "figures", summary: "Headline figures as a row of cards.",
    arguments: [
      DirectiveArgument(
        key: "names", summary: "which figures, in order", allowed: figureNames, isList: true,
        defaultValue: "llm_calls,llm_latency_avg,llm_latency_p95,llm_latency_p99,model_calls,model_error_rate,ttft_avg,input_tokens,output_tokens"),
      appArgument,
      DirectiveArgument(
        key: "compare", summary: "show the baseline value and the change (`baseline`, or its old name `previous`): the build's `--baseline-…` range, by default the period of equal length just before",
        allowed: ["none", "baseline", "previous"], defaultValue: "none"),
    ],
    example: "{{ figures names=llm_calls,model_error_rate,total_tokens compare=baseline }}",
    render: { args, call, context throws(TemplateError) in
      let f = try figures(args["app"]!, call, context)
      let from = source(args["app"]!, context)
      let comparison = args["compare"] == "none" ? nil : context.comparison(app: args["app"]!, from)
      let cards = list(args["names"]!).compactMap(FigureName.init(rawValue:)).map { name in
        var parts: [HTML] = [
          .element("div", [("class", "card-label")], text: name.label),
          .element("div", [("class", "card-value")] + from.attributes(name, f) + provenance(name, f, context), text: name.formatted(in: f)),
        ]
        if let note = sourcesNote(name, f) { parts.append(.element("div", [("class", "card-note")], text: note)) }
        if let comparison { parts.append(comparison.card(name, now: f)) }
        return HTML.element("div", [("class", "card")], parts)
      }
      return .element("div", [("class", "cards")], cards)
    })

  /// Hover text saying where a figure's data came from: the price rows behind a cost, the
  /// conventions behind a TTFT or throughput figure when the calls differ.
  static func provenance(_ name: FigureName, _ f: Figures, _ context: RenderContext) -> [(String, String)] {
    if name.unit == .usd || name == .unpricedCalls { return [("title", f.cost.provenance(context.summary.prices))] }
    return sourcesNote(name, f).map { [("title", $0)] } ?? []
  }

  /// For TTFT and throughput figures whose calls read different conventions: which, with
  /// how many calls each (`from gen_ai.usage.output_tokens (115), llm.token_count.completion (127)`).
  static func sourcesNote(_ name: FigureName, _ f: Figures) -> String? {
    let sources: [String: Int]
    switch name {
    case .ttftAvg, .tpotAvg: sources = f.ttftSources
    case .outputTokensPerSecond: sources = f.throughputSources
    default: return nil
    }
    guard sources.count > 1 else { return nil }
    return "from " + sources.keys.sorted().map { "\($0) (\(sources[$0]!))" }.joined(separator: ", ")
  }

  // MARK: - table

  /// Columns that are not figures: the row's name, and for apps their business system, tags,
  /// last span and a sparkline of LLM calls.
  static let textColumns = ["name", "business_system", "tags", "last_seen", "trend"]
  static let tableColumns = textColumns + figureNames

  static let table = DirectiveDefinition(
    name: "table", summary: "A table of apps, models or business systems with the chosen figures.",
    arguments: [
      DirectiveArgument(key: "", summary: "the rows", allowed: ["apps", "models", "request_models", "business_systems"]),
      DirectiveArgument(
        key: "columns", summary: "columns, in order: `name`, a figure, or for apps `business_system`, `tags`, `last_seen`, `trend`",
        allowed: tableColumns, isList: true,
        defaultValue: "name,spans,llm_calls,llm_latency_avg,llm_latency_p95,model_calls,model_error_rate,input_tokens,output_tokens"),
      DirectiveArgument(key: "sort", summary: "the column to sort by", allowed: tableColumns, defaultValue: "name"),
      DirectiveArgument(key: "order", summary: "sort direction", allowed: ["asc", "desc"], defaultValue: "asc"),
      DirectiveArgument(key: "limit", summary: "at most this many rows (0: all)", defaultValue: "0"),
      DirectiveArgument(
        key: "interactive", summary: "a filter box and sortable columns (a small inline script; without it the table is complete as sorted)",
        allowed: ["yes", "no"], defaultValue: "no"),
      DirectiveArgument(
        key: "compare", summary: "under each figure, its baseline value and the change", allowed: ["none", "baseline"], defaultValue: "none"),
    ],
    example: "{{ table models columns=name,model_calls,model_latency_avg,model_error_rate sort=model_calls order=desc }}",
    render: { args, call, context throws(TemplateError) in
      guard let limit = Int(args["limit"]!), limit >= 0 else {
        throw TemplateError(position: call.argument("limit")?.position ?? call.position, text: args["limit"]!, message: "`limit` is a number of rows")
      }
      struct Row {
        var name: String
        var figures: Figures
        var source: FigureSource
        var link: String?
        var system: String?
        /// The same row in the baseline, when the table compares.
        var baseline: Figures?
      }
      func source(_ kind: String, _ name: String) -> FigureSource { .row(kind, name, on: context.scope) }
      var rows: [Row]
      let s = context.summary
      switch args[""]! {
      case "apps":
        rows = s.apps.filter { context.scope.app == nil || $0.name == context.scope.app }.map {
          Row(name: $0.name, figures: $0.figures, source: source("app", $0.name), link: context.appPage($0.name), system: $0.businessSystem)
        }
      case "models":
        rows = s.models.filter { context.scope.models.isEmpty || context.scope.models.contains($0.name) }.map {
          Row(name: $0.name, figures: $0.figures, source: source("model", $0.name), link: context.modelPage($0.name))
        }
      case "request_models":
        rows = s.requestModels.filter { context.scope.models.isEmpty || context.scope.models.contains($0.name) }.map {
          Row(name: $0.name, figures: $0.figures, source: source("request_model", $0.name))
        }
      default:
        rows = s.businessSystems.map {
          Row(
            name: $0.fingerprint ?? "(no token)", figures: $0.figures, source: source("system", $0.fingerprint ?? ""),
            link: $0.fingerprint.flatMap(context.systemPage), system: $0.fingerprint)
        }
      }
      func text(_ column: String, _ row: Row) -> String {
        let d = context.appDetails[row.name]
        switch column {
        case "business_system": return row.system ?? ""
        case "tags": return d?.tags.joined(separator: " ") ?? ""
        case "last_seen": return d.map { Timestamp.display($0.lastSeen) } ?? ""
        case "trend": return ""
        default: return row.name
        }
      }
      let sortKey = args["sort"]!
      let descending = args["order"] == "desc"
      if let f = FigureName(rawValue: sortKey) {
        rows.sort { a, b in
          let x = f.value(in: a.figures) ?? -.infinity
          let y = f.value(in: b.figures) ?? -.infinity
          return x == y ? a.name < b.name : (descending ? x > y : x < y)
        }
      } else {
        rows.sort { a, b in
          let x = text(sortKey, a)
          let y = text(sortKey, b)
          return x == y ? a.name < b.name : (descending ? x > y : x < y)
        }
      }
      if limit > 0 { rows = Array(rows.prefix(limit)) }
      // Rows are compared only when the baseline has spans; a note says so otherwise.
      let comparing = args["compare"] == "baseline" && context.baseline != nil
      let emptyBaseline = comparing && context.baseline?.totals.spans == 0
      if comparing, !emptyBaseline, let b = context.baseline {
        for i in rows.indices { rows[i].baseline = b.figures(scope: rows[i].source.scope) ?? Figures() }
      }
      let interactive = args["interactive"] == "yes"
      let id = "table-\(call.position.line)-\(call.position.column)"
      let columns = list(args["columns"]!)
      let head = HTML.element(
        "thead", [],
        [.element("tr", [], columns.map { c in
          let label = FigureName(rawValue: c)?.label ?? ["business_system": "Business system", "tags": "Tags", "last_seen": "Last seen", "trend": "LLM calls over time"][c] ?? "Name"
          return HTML.element("th", [("scope", "col"), ("class", FigureName(rawValue: c) == nil ? "text" : "num")], text: label)
        })])
      /// Sort keys for the script, only on interactive tables.
      func sortData(_ value: String) -> [(String, String)] { interactive ? [("data-sort", value)] : [] }
      let body = HTML.element("tbody", [], rows.map { row in
        let cells = columns.map { c -> HTML in
          if let f = FigureName(rawValue: c) {
            let v = f.value(in: row.figures)
            let data = row.source.attributes(f, row.figures)
            let attrs = [("class", "num")] + sortData(v.map { NumberFormatting.shortest($0) } ?? "")
            // Compared, the value and its baseline are two spans in the cell.
            guard let before = row.baseline else { return HTML.element("td", attrs + data + provenance(f, row.figures, context), text: f.formatted(in: row.figures)) }
            let value = HTML.element("span", data + provenance(f, row.figures, context), text: f.formatted(in: row.figures))
            let comparison = Comparison(baseline: before, label: context.baselineLabel, source: row.source)
            return HTML.element("td", attrs, [value, comparison.cell(f, now: row.figures)])
          }
          switch c {
          case "name":
            let name = row.link.map { HTML.element("a", [("href", $0)], text: row.name) } ?? .text(row.name)
            return HTML.element("th", [("scope", "row"), ("class", "text")] + sortData(row.name.lowercased()), [name])
          case "trend":
            let values = context.appDetails[row.name]?.trend ?? []
            return HTML.element("td", [("class", "trend")] + sortData(NumberFormatting.shortest(values.reduce(0, +))), [SVGChart.sparkline(values, label: "LLM calls of \(row.name) over time")])
          case "tags":
            let tags = context.appDetails[row.name]?.tags ?? []
            return HTML.element("td", [("class", "text tags")] + sortData(tags.joined(separator: " ")), tags.map { HTML.element("span", [("class", "tag")], text: $0) })
          case "last_seen":
            return HTML.element("td", [("class", "text nowrap")] + sortData(String(context.appDetails[row.name]?.lastSeen ?? 0)), text: text(c, row))
          default:
            return HTML.element("td", [("class", "text nowrap")] + sortData(text(c, row)), [.element("code", [], text: text(c, row))])
          }
        }
        let search = ([row.name, row.system ?? ""] + (context.appDetails[row.name]?.tags ?? [])).joined(separator: " ").lowercased()
        return HTML.element("tr", interactive ? [("data-search", search)] : [], cells)
      })
      var empty = rows.isEmpty ? HTML.element("p", [("class", "empty")], text: "No data in this range.") : .empty
      if emptyBaseline { empty = empty + .element("p", [("class", "note")], text: "No spans in the \(context.baselineLabel) to compare with.") }
      var tableAttrs = [("id", id)]
      if interactive { tableAttrs.append(("data-sortable", "")) }
      let filter = interactive
        ? HTML.element("input", [
          ("type", "search"), ("class", "table-filter"), ("data-table", id), ("placeholder", "Filter by name, business system or tag"),
          ("aria-label", "Filter the table"),
        ])
        : .empty
      return filter + .element("div", [("class", "table-wrap")], [.element("table", tableAttrs, [head, body])]) + empty
    })

  // MARK: - links

  static let links = DirectiveDefinition(
    name: "links", summary: "A list of links: the site's pages, or its apps.",
    arguments: [DirectiveArgument(key: "", summary: "what to list", allowed: ["pages", "apps"])],
    example: "{{ links apps }}",
    render: { args, _, context throws(TemplateError) in
      let items: [HTML]
      if args[""] == "apps" {
        items = context.summary.apps.map { app in
          HTML.element("li", [], [context.appPage(app.name).map { HTML.element("a", [("href", $0)], text: app.name) } ?? .text(app.name)])
        }
      } else {
        items = context.pages.map { HTML.element("li", [], [.element("a", [("href", $0.file)], text: $0.title)]) }
      }
      return .element("ul", [("class", "links")], items)
    })

  // MARK: - Helpers

  /// `app=NAME`: the figures of one app instead of the page's scope (`figure`, `figures`, `compare`).
  static let appArgument = DirectiveArgument(key: "app", summary: "an app instead of the page's scope", defaultValue: "")

  static func list(_ value: String) -> [String] {
    value.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
  }

  /// Where the figures of `figures(app, …)` come from.
  static func source(_ app: String, _ context: RenderContext) -> FigureSource {
    app.isEmpty ? .page(context.scope) : .row("app", app, on: context.scope)
  }

  static func figures(_ app: String, _ call: DirectiveCall, _ context: RenderContext) throws(TemplateError) -> Figures {
    guard !app.isEmpty else { return context.figures }
    guard let a = context.summary.apps.first(where: { $0.name == app }) else {
      throw TemplateError(
        position: call.argument("app")?.position ?? call.position, text: app, message: "no app `\(app)` in this range",
        validNames: context.summary.apps.map(\.name))
    }
    return a.figures
  }
}
