/// The parts of a trace page: a summary, the waterfall, and every span's details.
///
/// A large trace's span details are split over part pages of `spansPerPage` spans each, in
/// waterfall order (`trace-<id>.html` holds the first part, `trace-<id>-2.html` the next…),
/// so that a trace of 10,000 spans stays a page a browser opens at once; every link to a span
/// points at the page that holds its details.
struct TraceRenderer {
  var view: TraceView
  var values: ValueView
  /// Prices the model calls of the trace.
  var prices: PriceTable
  /// Span details per page; `Int.max` keeps them all on one page (single-file export).
  var spansPerPage = Int.max
  /// The part this renderer writes the details of (0: the trace page itself).
  var part = 0
  /// Model calls recorded a second time by another instrumentation → the span counted instead.
  private let duplicates: [String: String]

  init(view: TraceView, values: ValueView, prices: PriceTable, spansPerPage: Int = .max) {
    self.view = view
    self.values = values
    self.prices = prices
    self.spansPerPage = max(1, spansPerPage)
    duplicates = TraceRules.duplicates(view.nodes.map { n in
      TraceSpanFacts(
        spanID: n.span.spanID, parentSpanID: n.span.parentSpanID, kind: n.canonical.kind, markedEntry: n.canonical.isMarkedEntry,
        start: n.span.startTimeUnixNano, end: n.span.endTimeUnixNano, scopeName: n.stored.scope.name,
        requestModel: n.canonical.requestModel, responseModel: n.canonical.responseModel)
    })
  }

  /// A model call's price row and cost at the price table, `nil` without token usage.
  private func cost(_ c: CanonicalSpan, at start: Int64) -> (row: PriceRow?, cost: CostBreakdown)? {
    guard c.kind.isModelCall, c.inputTokens != nil || c.outputTokens != nil else { return nil }
    let row = prices.row(model: c.model, requestModel: c.requestModel, at: start)
    let tokens = TokenBuckets(input: c.inputTokens, cacheRead: c.cacheReadTokens, output: c.outputTokens, reasoning: c.reasoningTokens)
    return (row, row?.cost(of: tokens) ?? CostBreakdown())
  }

  static func anchor(_ spanID: String) -> String { "span-\(spanID)" }

  /// The file of part `k` of trace `id`.
  static func file(_ id: String, part k: Int) -> String { k == 0 ? "trace-\(id).html" : "trace-\(id)-\(k + 1).html" }

  /// How many pages the trace takes: 1, or the trace page and a part page per `spansPerPage` spans.
  var partCount: Int { view.order.count <= spansPerPage ? 1 : (view.order.count - 1) / spansPerPage + 2 }

  /// Node indices whose details are on part `k`.
  private func nodes(onPart k: Int) -> ArraySlice<Int> {
    let count = view.order.count
    if partCount == 1 { return k == 0 ? view.order[...] : [] }
    guard k > 0, k < partCount else { return [] }
    let lower = (k - 1) * spansPerPage
    return view.order[lower..<min(lower + spansPerPage, count)]
  }

  /// The part page that holds node `i`'s details: 0 when the trace fits one page; otherwise
  /// the trace page keeps only the waterfall and details start on part 1.
  private func part(of i: Int) -> Int { partCount == 1 ? 0 : view.position[i] / spansPerPage + 1 }

  /// Where the details of node `i` are: `#span-…` on this page, or on its part page.
  private func href(_ i: Int) -> String {
    let k = part(of: i)
    return (k == part ? "" : Self.file(view.traceID, part: k)) + "#" + Self.anchor(view.nodes[i].span.spanID)
  }

  private func ms(_ nanos: Int64) -> String { FigureName.format(Double(nanos) / 1e6, .milliseconds) }

  // MARK: - Summary

  func summary() -> HTML {
    let nodes = view.nodes
    let apps = Set(nodes.map(\.canonical.app)).sorted()
    let errors = nodes.filter(\.canonical.isError).count
    let calls = nodes.filter { $0.canonical.kind.isModelCall && duplicates[$0.span.spanID] == nil }
    let tokens = calls.reduce(Int64(0)) { $0 + ($1.canonical.inputTokens ?? 0) + ($1.canonical.outputTokens ?? 0) }
    var total = USD.zero
    var rows = Set<String>()
    var unpriced = 0
    for n in calls {
      guard let (row, cost) = cost(n.canonical, at: n.span.startTimeUnixNano) else { continue }
      if let row {
        total = total + cost.total
        rows.insert(row.id)
      } else {
        unpriced += 1
      }
    }
    let costText = rows.isEmpty ? (unpriced > 0 ? "unpriced" : "–") : total.display + (unpriced > 0 ? " + \(unpriced) unpriced call\(unpriced == 1 ? "" : "s")" : "")
    let items: [(String, String, String?)] = [
      ("Trace", view.traceID, nil), ("Start", Timestamp.format(view.start, fractionDigits: 3), nil), ("Duration", ms(view.duration), nil),
      ("Spans", FigureName.grouped(Int64(nodes.count)), nil), ("Apps", apps.joined(separator: ", "), nil),
      ("Errors", FigureName.grouped(Int64(errors)), nil), ("Model calls", FigureName.grouped(Int64(calls.count)), nil),
      ("Tokens", FigureName.grouped(tokens), nil),
      ("Cost", costText, "at \(prices.origin), taken \(prices.taken); rows: " + (rows.isEmpty ? "none" : rows.sorted().joined(separator: ", "))),
    ]
    return .element("dl", [("class", "trace-summary")], items.flatMap { item in
      [HTML.element("dt", [], text: item.0), .element("dd", item.2.map { [("title", $0)] } ?? [], text: item.1)]
    })
  }

  // MARK: - Waterfall

  func waterfall() -> HTML {
    guard view.duration >= 0, !view.nodes.isEmpty else { return .element("p", [("class", "empty")], text: "This trace has no spans.") }
    let ticks = (0...4).map { i -> HTML in
      HTML.element("span", [("class", "wf-tick t\(i)")], text: ms(view.duration * Int64(i) / 4))
    }
    let axis = HTML.element("div", [("class", "wf-row wf-axis"), ("aria-hidden", "true")], [
      .element("span", [("class", "wf-name")], text: "Span"), .element("span", [("class", "wf-app")], text: "App · instance"),
      .element("span", [("class", "wf-scale")], ticks), .element("span", [("class", "wf-dur")], text: "Duration"),
    ])
    let roots = view.order.filter { i in view.nodes[i].depth == 0 }
    var legend: [HTML] = [.element("span", [("class", "key crit")], text: "critical path")]
    if view.nodes.contains(where: \.clockSkew) { legend.append(.element("span", [("class", "key skew")], text: "⚠ starts before or ends after its parent (clock skew)")) }
    if view.nodes.contains(where: \.parentMissing) { legend.append(.element("span", [("class", "key orphan")], text: "↳ parent span missing: shown under the root")) }
    if view.nodes.contains(where: { $0.depth == TraceView.maxDepth }) {
      legend.append(.element("span", [("class", "key deep")], text: "nesting deeper than \(TraceView.maxDepth) levels is drawn at level \(TraceView.maxDepth)"))
    }
    if view.nodes.contains(where: { $0.canonical.ttftNanos != nil }) { legend.append(.element("span", [("class", "key ttft")], text: "| time to first token")) }
    let chart = HTML.element("div", [("class", "waterfall"), ("aria-label", "Spans of trace \(view.traceID) over time")], [
      .element("p", [("class", "wf-legend")], legend), axis,
    ] + roots.map { node($0, depth: 0) })
    return partCount > 1 && part == 0 ? chart + .trusted("<script>" + Self.followToPart + "</script>") : chart
  }

  /// On the page of a split trace: a link to `#span-…` whose details are on a part page (from
  /// the span search, say) follows the waterfall's own link there. Without it, the waterfall shows.
  static let followToPart = """
    (function () { var id = location.hash.slice(1); if (!/^span-[0-9a-f]{16}$/.test(id) || document.getElementById(id)) return;
    var a = document.querySelector('.waterfall a[href$="#' + id + '"]'); if (a) location.replace(a.href); })();
    """

  private func node(_ i: Int, depth: Int) -> HTML {
    let n = view.nodes[i]
    let row = self.row(i)
    guard !n.children.isEmpty else { return .element("div", [("class", "wf-leaf")], [row]) }
    let kids = n.children.filter { view.nodes[$0].depth > n.depth || n.depth == TraceView.maxDepth }
    let nested = depth >= TraceView.maxDepth
    let children = HTML.element("div", [("class", "wf-children")], kids.map { node($0, depth: nested ? depth : depth + 1) })
    return .element("details", [("open", ""), ("class", "wf-node")], [.element("summary", [], [row]), children])
  }

  private func row(_ i: Int) -> HTML {
    let n = view.nodes[i]
    let s = n.span
    let c = n.canonical
    let total = Double(max(view.duration, 1))
    let x = Double(s.startTimeUnixNano - view.start) / total * 1000
    let w = max(Double(s.durationNanos) / total * 1000, 1.5)
    var marks: [HTML] = [
      .element("rect", [("x", ChartScale.coord(x)), ("y", "1"), ("width", ChartScale.coord(w)), ("height", "10"), ("class", "k-\(c.kind.rawValue)\(c.isError ? " err" : "")")])
    ]
    if let t = c.ttftNanos {
      let tx = Double(s.startTimeUnixNano - view.start + t) / total * 1000
      marks.append(.element("line", [("x1", ChartScale.coord(tx)), ("x2", ChartScale.coord(tx)), ("y1", "0"), ("y2", "12"), ("class", "wf-ttft")], [
        .element("title", [], text: "time to first token: \(ms(t))")
      ]))
    }
    var flags: [HTML] = []
    if n.clockSkew { flags.append(.element("span", [("class", "flag skew"), ("title", "clock skew")], text: "⚠")) }
    if n.parentMissing { flags.append(.element("span", [("class", "flag orphan"), ("title", "parent span \(s.parentSpanID) is not in the store")], text: "↳")) }
    let kindLabel = c.kind == .other ? (SpanKind(rawValue: s.kind)?.name ?? "span") : c.kind.rawValue
    let name = HTML.element("span", [("class", "wf-name")], flags + [
      .element("span", [("class", "badge k-\(c.kind.rawValue)")], text: kindLabel), .text(" "),
      .element("a", [("href", href(i))], text: s.name.isEmpty ? "(unnamed)" : s.name),
    ])
    let where_ = [c.app, c.instance].compactMap { $0 }.joined(separator: " · ")
    return .element("span", [("class", "wf-row d\(n.depth)\(n.onCriticalPath ? " crit" : "")\(c.isError ? " err" : "")")], [
      name, .element("span", [("class", "wf-app")], text: where_),
      .element("span", [("class", "wf-scale"), ("title", "starts at +\(ms(s.startTimeUnixNano - view.start))")], [
        .element("svg", [("viewBox", "0 0 1000 12"), ("preserveAspectRatio", "none"), ("aria-hidden", "true")], marks)
      ]),
      .element("span", [("class", "wf-dur")], text: ms(s.durationNanos)),
    ])
  }

  // MARK: - Span details

  /// The details of this part's spans, the resources they ran in, and links to the other parts.
  func details() -> HTML {
    let shown = nodes(onPart: part)
    if shown.isEmpty { return partLinks() }
    var resources: [(resource: Resource, scope: InstrumentationScope)] = []
    var sections: [HTML] = []
    for i in shown {
      let n = view.nodes[i]
      let index = resources.firstIndex { $0.resource == n.stored.resource && $0.scope == n.stored.scope } ?? {
        resources.append((n.stored.resource, n.stored.scope))
        return resources.count - 1
      }()
      sections.append(detail(n, resource: index))
    }
    let resourceList = HTML.element("section", [("class", "resources")], [.element("h3", [], text: "Resources and scopes")] + resources.enumerated().map { k, r in
      HTML.element("details", [("id", "resource-\(k + 1)"), ("class", "more")], [
        .element("summary", [], text: "Resource \(k + 1): " + Self.resourceName(r.resource, r.scope)),
        attributes(r.resource.attributes, eventName: nil), attributes(r.scope.attributes, eventName: nil),
      ])
    })
    return partLinks() + .join(sections) + resourceList + partLinks()
  }

  /// `service.name · host.name · scope`, the short name of a resource and scope.
  private static func resourceName(_ r: Resource, _ scope: InstrumentationScope) -> String {
    let get = { (key: String) in r.attributes.first { $0.key == key }?.value.text }
    return [get("service.name"), get("host.name") ?? get("service.instance.id"), scope.name.isEmpty ? nil : scope.name]
      .compactMap { $0 }.joined(separator: " · ")
  }

  /// On a trace whose details take several pages: where each range of spans is.
  private func partLinks() -> HTML {
    guard partCount > 1 else { return .empty }
    let items = (1..<partCount).map { k -> HTML in
      let range = nodes(onPart: k)
      let label = "spans \(FigureName.grouped(Int64(range.startIndex + 1)))–\(FigureName.grouped(Int64(range.endIndex)))"
      return HTML.element("li", [], [k == part ? .element("strong", [], text: label) : .element("a", [("href", Self.file(view.traceID, part: k))], text: label)])
    }
    return .element("nav", [("class", "parts"), ("aria-label", "Span detail pages")], [
      .element("p", [], text: "This trace has \(FigureName.grouped(Int64(view.order.count))) spans; their details are on \(partCount - 1) pages of \(FigureName.grouped(Int64(spansPerPage))), in waterfall order:"),
      .element("ul", [], items),
    ])
  }

  private func detail(_ n: TraceView.Node, resource: Int) -> HTML {
    let s = n.span
    let c = n.canonical
    var facts: [(String, String)] = [
      ("Span id", s.spanID), ("Parent", s.parentSpanID.isEmpty ? "(root)" : s.parentSpanID + (n.parentMissing ? " (not in the store)" : "")),
      ("Operation", c.kind.rawValue), ("Span kind", SpanKind(rawValue: s.kind)?.name ?? String(s.kind)), ("App", c.app),
      ("Instance", c.instance ?? "–"), ("Scope", [n.stored.scope.name, n.stored.scope.version].filter { !$0.isEmpty }.joined(separator: " ")),
      ("Start", Timestamp.format(s.startTimeUnixNano, fractionDigits: 6) + " (+\(ms(s.startTimeUnixNano - view.start)))"),
      ("Duration", ms(s.durationNanos)), ("Status", ["unset", "ok", "error"][Int(max(0, min(2, s.status.code)))] + (c.isError ? " (error)" : "")),
    ]
    if let m = c.errorMessage, c.isError { facts.append(("Error", [c.errorType, m].compactMap { $0 }.joined(separator: ": "))) }
    if let p = c.provider { facts.append(("Provider", p)) }
    if let m = c.requestModel { facts.append(("Request model", m)) }
    if let m = c.responseModel { facts.append(("Response model", m)) }
    if c.inputTokens != nil || c.outputTokens != nil {
      facts.append(("Tokens", "\(c.inputTokens.map { FigureName.grouped($0) } ?? "–") in, \(c.outputTokens.map { FigureName.grouped($0) } ?? "–") out"
        + (c.cacheReadTokens.map { ", \(FigureName.grouped($0)) cached" } ?? "") + (c.reasoningTokens.map { ", \(FigureName.grouped($0)) reasoning" } ?? "")))
    }
    if let t = c.ttftNanos { facts.append(("Time to first token", ms(t))) }
    if let st = c.streaming { facts.append(("Streaming", st ? "yes" : "no")) }
    if !c.finishReasons.isEmpty { facts.append(("Finish reasons", c.finishReasons.joined(separator: ", "))) }
    if let (row, cost) = cost(c, at: s.startTimeUnixNano) {
      if let counted = duplicates[s.spanID] {
        facts.append(("Cost", "counted once, on span \(counted)"))
      } else if let row {
        let parts = [
          "input \(PriceRow.perMillion(row.input))", row.cachedInput.map { "cached \(PriceRow.perMillion($0))" },
          "output \(PriceRow.perMillion(row.output))", row.reasoning.map { "reasoning \(PriceRow.perMillion($0))" },
        ].compactMap { $0 }
        facts.append(("Cost", "\(cost.total.display) at \(row.id) (\(parts.joined(separator: ", ")) per million tokens; \(row.source))"))
      } else {
        facts.append(("Cost", "unpriced: no row of \(prices.origin) names \(c.model ?? "this model")"))
      }
    }
    if let cost = c.costUSD { facts.append(("Reported cost", "$" + NumberFormatting.fixed(cost, places: 6) + " (from the span's attributes)")) }
    if let v = c.sessionID { facts.append(("Session", v)) }
    if let v = c.userID { facts.append(("User", v)) }
    if let v = c.agentName { facts.append(("Agent", v)) }
    if let v = c.toolName { facts.append(("Tool", v)) }
    if n.clockSkew { facts.append(("Clock skew", "starts before its parent or ends after it")) }

    var parts: [HTML] = [
      .element("h3", [], [.element("a", [("href", "#" + Self.anchor(s.spanID)), ("class", "self")], text: s.name.isEmpty ? "(unnamed)" : s.name)]),
      .element("dl", [("class", "facts")], facts.flatMap { [HTML.element("dt", [], text: $0.0), .element("dd", [], text: $0.1)] }),
    ]
    if c.kind.isModelCall || c.kind == .agent {
      let m = MessageReader.messages(of: s)
      if !m.input.isEmpty { parts.append(messages("Input messages", m.input)) }
      if !m.output.isEmpty { parts.append(messages("Output messages", m.output)) }
    }
    if !s.events.isEmpty {
      parts.append(.element("h4", [], text: "Events"))
      parts.append(.element("ol", [("class", "events")], s.events.map { e in
        HTML.element("li", [], [
          .element("strong", [], text: e.name), .text(" at +\(ms(e.timeUnixNano - s.startTimeUnixNano))"), attributes(e.attributes, eventName: e.name),
        ])
      }))
    }
    if !s.links.isEmpty {
      parts.append(.element("h4", [], text: "Links"))
      parts.append(.element("ul", [], s.links.map { l in HTML.element("li", [], [.element("code", [], text: "\(l.traceID) / \(l.spanID)"), attributes(l.attributes, eventName: nil)]) }))
    }
    parts.append(.element("h4", [], text: "Span attributes"))
    parts.append(attributes(s.attributes, eventName: nil))
    parts.append(.element("p", [("class", "resource-link")], [
      .text("Resource and scope attributes: "), .element("a", [("href", "#resource-\(resource + 1)")], text: "resource \(resource + 1)"),
    ]))
    if s.droppedAttributesCount + s.droppedEventsCount + s.droppedLinksCount > 0 {
      parts.append(.element("p", [("class", "withheld")], text: "The SDK dropped \(s.droppedAttributesCount) attributes, \(s.droppedEventsCount) events, \(s.droppedLinksCount) links."))
    }
    return .element("section", [("id", Self.anchor(s.spanID)), ("class", "span-detail\(c.isError ? " err" : "")")], parts)
  }

  private func messages(_ title: String, _ list: [ChatMessage]) -> HTML {
    .element("div", [("class", "messages")], [.element("h4", [], text: title)] + list.map { m in
      var body: [HTML] = []
      for p in m.parts {
        switch p {
        case .text(let t): body.append(values.block(t, isContent: true))
        case .reasoning(let t): body += [.element("p", [("class", "part-label")], text: "reasoning"), values.block(t, isContent: true)]
        case .toolCall(let id, let name, let args):
          body += [.element("p", [("class", "part-label")], text: "tool call \(name)" + (id.map { " (\($0))" } ?? "")), values.block(args, isContent: true)]
        case .toolResult(let id, let response):
          body += [.element("p", [("class", "part-label")], text: "tool result" + (id.map { " (\($0))" } ?? "")), values.block(response, isContent: true)]
        case .media(let type, let detail): body.append(.element("p", [("class", "part-label")], text: "\(type): \(detail)"))
        case .other(let type, let json): body += [.element("p", [("class", "part-label")], text: type), values.block(json, isContent: true)]
        }
      }
      let label = m.role + (m.name.map { " (\($0))" } ?? "") + (m.finishReason.map { " · finish: \($0)" } ?? "")
      return HTML.element("div", [("class", "message role-\(m.role.allSatisfy { $0.isLetter } ? m.role : "other")")], [.element("p", [("class", "role")], text: label)] + body)
    })
  }

  private func attributes(_ attrs: [KeyValue], eventName: String?) -> HTML {
    guard !attrs.isEmpty else { return .empty }
    let contentEvent = eventName.map { $0.hasPrefix("gen_ai.") } ?? false
    return .element("table", [("class", "attrs")], [
      .element("tbody", [], attrs.map { kv in
        let value = contentEvent && !SecretAttributes.isSecret(kv.key)
          ? values.block(kv.value.text ?? JSONValue(attribute: kv.value, parseStrings: false).map(MessageReader.jsonText) ?? "", isContent: true)
          : values.attribute(kv.key, kv.value)
        return HTML.element("tr", [], [.element("th", [("scope", "row")], text: kv.key), .element("td", [], [value])])
      })
    ])
  }
}
