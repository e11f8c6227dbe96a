/// The figures of a time range, for everything and per business system, app and model.
public struct Summary: Sendable {
  public struct BusinessSystem: Sendable {
    public var fingerprint: String?
    public var apps: [String]
    public var figures: Figures
  }
  public struct App: Sendable {
    public var name: String
    public var businessSystem: String?
    public var figures: Figures
  }
  public struct Model: Sendable {
    public var name: String
    public var kind: OperationKind
    public var providers: [String]
    public var requestModels: [String]
    public var figures: Figures
  }

  public var range: TimeRange
  public var totals: Figures
  /// Sorted by fingerprint; spans without a `token` resource attribute last.
  public var businessSystems: [BusinessSystem]
  /// Sorted by name.
  public var apps: [App]
  /// Keyed by response model, else request model; sorted by name.
  public var models: [Model]
  /// Keyed by request model, else response model; sorted by name.
  public var requestModels: [Model]
  /// The price table the costs were computed with.
  public var prices: PriceTable

  /// The figures of a group named as pages name it (`FigureSource.scope`): `all`, `app:NAME`,
  /// `model:NAME`, `request_model:NAME`, `system:FINGERPRINT` (`system:` for no token);
  /// `nil` when the summary has no such group.
  func figures(scope: String) -> Figures? {
    if scope == "all" { return totals }
    guard let colon = scope.firstIndex(of: ":") else { return nil }
    let name = String(scope[scope.index(after: colon)...])
    switch scope[..<colon] {
    case "app": return apps.first { $0.name == name }?.figures
    case "model": return models.first { $0.name == name }?.figures
    case "request_model": return requestModels.first { $0.name == name }?.figures
    case "system": return businessSystems.first { ($0.fingerprint ?? "") == name }?.figures
    default: return nil
    }
  }

  /// Builds the summary from the rows of every span in `range`.
  ///
  /// Spans, traces and instances count every span. LLM calls are entry spans. Model calls
  /// are llm and embedding spans counted once each (see `TraceRules.duplicates`); tokens and
  /// TTFT come from them. For a model, LLM calls are the entries of traces that call it.
  ///
  /// Each model call with token usage is priced with the row of `prices` for its response
  /// model (else its request model) in effect on the day it started.
  public static func build(range: TimeRange, prices: PriceTable, rows: (_ body: (SummaryRow) -> Void) throws -> Void) rethrows -> Summary {
    var totals = FigureAccumulator()
    var systems: [String: FigureAccumulator] = [:]
    var systemApps: [String: Set<String>] = [:]
    var apps: [String: FigureAccumulator] = [:]
    var appSystem: [String: String] = [:]
    var models: [String: FigureAccumulator] = [:]
    var requestModels: [String: FigureAccumulator] = [:]
    var modelInfo: [String: (kind: OperationKind, providers: Set<String>, requests: Set<String>)] = [:]
    var requestInfo: [String: (kind: OperationKind, providers: Set<String>, requests: Set<String>)] = [:]
    var traceEntries: [String: [(Double, Bool)]] = [:]
    var traceModels: [String: Set<String>] = [:]
    var traceRequestModels: [String: Set<String>] = [:]
    let none = "\u{0}"
    var lookup = PriceLookup(prices)

    try rows { row in
      let system = row.businessSystem ?? none
      func each(_ body: (inout FigureAccumulator) -> Void) {
        body(&totals)
        body(&systems[system, default: FigureAccumulator()])
        body(&apps[row.app, default: FigureAccumulator()])
      }
      let hour = Timestamp.floorDiv(row.startNanos, 3_600_000_000_000)
      each { acc in
        acc.spans += 1
        acc.traces.insert(row.traceID)
        if let i = row.instance {
          acc.instances.insert(row.app + "\u{0}" + i)
          acc.instanceHours.insert(row.app + "\u{0}" + i + "\u{0}\(hour)")
        }
      }
      systemApps[system, default: []].insert(row.app)
      appSystem[row.app] = system
      if row.isEntry {
        each { $0.addEntry(durationMs: row.durationMs, isError: row.isError) }
        traceEntries[row.traceID, default: []].append((row.durationMs, row.isError))
      }
      guard row.kind.isModelCall, row.isCounted else { return }
      let rowPrice = lookup.row(for: row)
      each { $0.addModelCall(row, price: rowPrice) }
      let name = row.model ?? "(unknown)"
      let requestName = row.requestModel ?? row.model ?? "(unknown)"
      for (key, isRequest) in [(name, false), (requestName, true)] {
        if isRequest {
          requestModels[key, default: FigureAccumulator()].addModelCall(row, price: rowPrice)
          requestModels[key]!.spans += 1
          requestModels[key]!.traces.insert(row.traceID)
          traceRequestModels[row.traceID, default: []].insert(key)
        } else {
          models[key, default: FigureAccumulator()].addModelCall(row, price: rowPrice)
          models[key]!.spans += 1
          models[key]!.traces.insert(row.traceID)
          traceModels[row.traceID, default: []].insert(key)
        }
        var info = (isRequest ? requestInfo[key] : modelInfo[key]) ?? (row.kind, [], [])
        if let p = row.provider { info.providers.insert(p) }
        if let r = row.requestModel { info.requests.insert(r) }
        if isRequest { requestInfo[key] = info } else { modelInfo[key] = info }
      }
    }

    for (trace, names) in traceModels {
      for (d, e) in traceEntries[trace] ?? [] { for n in names { models[n]!.addEntry(durationMs: d, isError: e) } }
    }
    for (trace, names) in traceRequestModels {
      for (d, e) in traceEntries[trace] ?? [] { for n in names { requestModels[n]!.addEntry(durationMs: d, isError: e) } }
    }

    var groups = SummaryGroups()
    groups.totals = totals.figures
    for (k, acc) in systems { groups.systems[k == none ? nil : k] = (systemApps[k] ?? [], acc.figures) }
    for (k, acc) in apps { groups.apps[k] = (appSystem[k] == none ? nil : appSystem[k], acc.figures) }
    for (k, acc) in models { groups.models[k] = SummaryGroups.ModelGroup(kind: modelInfo[k]?.kind ?? .llm, providers: modelInfo[k]?.providers ?? [], requests: modelInfo[k]?.requests ?? [], figures: acc.figures) }
    for (k, acc) in requestModels {
      groups.requestModels[k] = SummaryGroups.ModelGroup(kind: requestInfo[k]?.kind ?? .llm, providers: requestInfo[k]?.providers ?? [], requests: requestInfo[k]?.requests ?? [], figures: acc.figures)
    }
    return Summary(range: range, prices: prices, groups: groups)
  }

}

extension Summary {
  /// The summary of figures a store computed per group: groups sorted, shares of all model
  /// calls filled in.
  init(range: TimeRange, prices: PriceTable, groups: SummaryGroups) {
    let allCallsCount = groups.totals.modelCalls
    func shareOf(_ f: Figures) -> Figures {
      var f = f
      f.modelCallShare = allCallsCount == 0 ? nil : Double(f.modelCalls) / Double(allCallsCount)
      return f
    }
    func modelList(_ list: [String: SummaryGroups.ModelGroup]) -> [Model] {
      list.keys.sorted().map { k in
        let m = list[k]!
        return Model(name: k, kind: m.kind, providers: m.providers.sorted(), requestModels: m.requests.sorted(), figures: shareOf(m.figures))
      }
    }
    let systemKeys = groups.systems.keys.sorted { a, b in a == nil ? false : b == nil ? true : a! < b! }
    self.init(
      range: range,
      totals: groups.totals,
      businessSystems: systemKeys.map { k in BusinessSystem(fingerprint: k, apps: groups.systems[k]!.apps.sorted(), figures: groups.systems[k]!.figures) },
      apps: groups.apps.keys.sorted().map { k in App(name: k, businessSystem: groups.apps[k]!.system, figures: shareOf(groups.apps[k]!.figures)) },
      models: modelList(groups.models),
      requestModels: modelList(groups.requestModels),
      prices: prices)
  }
}

/// The figures of each group of a summary as a store computed them, unsorted; `Summary`
/// orders them.
struct SummaryGroups {
  struct ModelGroup {
    var kind: OperationKind
    var providers: Set<String>
    var requests: Set<String>
    var figures: Figures
  }
  var totals = Figures()
  /// By business-system fingerprint; `nil` for spans without a token.
  var systems: [String?: (apps: Set<String>, figures: Figures)] = [:]
  var apps: [String: (system: String?, figures: Figures)] = [:]
  var models: [String: ModelGroup] = [:]
  var requestModels: [String: ModelGroup] = [:]
}
