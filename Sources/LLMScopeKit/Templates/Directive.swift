/// One argument a directive accepts.
public struct DirectiveArgument: Sendable {
  /// The key; `""` for the bare main argument (`{{ figure llm_calls }}`).
  public var key: String
  public var summary: String
  /// The accepted values, when they form a closed list.
  public var allowed: [String]?
  /// Comma-separated values are accepted (each checked against `allowed`).
  public var isList = false
  /// The value when the argument is absent; `nil` means required.
  public var defaultValue: String?
}

/// What a page is about: from front matter or its kind, an app, a business system or a model,
/// and the models its model tables are limited to.
public struct PageScope: Sendable, Equatable {
  public var app: String?
  public var businessSystem: String?
  public var model: String?
  public var models: [String] = []

  public init(app: String? = nil, businessSystem: String? = nil, model: String? = nil, models: [String] = []) {
    self.app = app
    self.businessSystem = businessSystem
    self.model = model
    self.models = models
  }

  /// The spans the page reads.
  public var filter: SpanFilter { SpanFilter(app: app, businessSystem: businessSystem, model: model) }
}

/// What directives read while a page renders.
public struct RenderContext {
  public var summary: Summary
  /// Figures per time bucket, when the page has charts over time.
  public var series: TimeSeries?
  /// The summary of the baseline range (by default the period of equal length just before),
  /// when the page compares.
  public var baseline: Summary?
  /// How changes against the baseline are labelled: `previous period`, or `baseline` for a
  /// range given with `--baseline-from`/`--baseline-to`.
  public var baselineLabel = "previous period"
  /// Tags, last seen and trend of each app, when the page's tables show them.
  public var appDetails: [String: AppDetails] = [:]
  /// The trace of a trace page.
  var trace: TraceRenderer?
  /// File name of a trace's page, if the site has one.
  public var tracePage: @Sendable (String) -> String? = { _ in nil }
  public var scope: PageScope
  /// Pages of the site, for navigation and link lists: (file name, title).
  public var pages: [(file: String, title: String)]
  /// File name of the page for an app, if the site has one.
  public var appPage: @Sendable (String) -> String?
  /// File name of the page for a model, if the site has one.
  public var modelPage: @Sendable (String) -> String? = { _ in nil }
  /// File name of the page for a business system (by fingerprint), if the site has one.
  public var systemPage: @Sendable (String) -> String? = { _ in nil }
  /// LLM calls of the page's scope, for trace lists.
  public var llmCalls: (LLMCallSelection, Int) throws -> [LLMCallRow] = { _, _ in [] }
  /// Spans of the page's scope and range, slowest first: (only failed ones, at most N or 0 for all, each row).
  public var forEachSpan: (Bool, Int, (SpanRow) throws -> Void) throws -> Void = { _, _, _ in }
  /// The page's file name without `.html`, for the files its directives add.
  public var pageName = "page"
  /// Adds a file beside the page (data a page loads); `nil` where pages cannot have files.
  public var attach: ((String, String) throws -> Void)?

  public init(summary: Summary, series: TimeSeries? = nil, scope: PageScope, pages: [(file: String, title: String)], appPage: @escaping @Sendable (String) -> String?) {
    self.summary = summary
    self.series = series
    self.scope = scope
    self.pages = pages
    self.appPage = appPage
  }

  /// The figures of the page's scope: its app, or everything.
  public var figures: Figures { Self.figures(summary, scope) }

  /// The page's figures against the baseline, or `app`'s when given; `nil` without a baseline.
  func comparison(app: String, _ source: FigureSource) -> Comparison? {
    guard let b = baseline else { return nil }
    let figures = app.isEmpty ? Self.figures(b, scope) : b.figures(scope: "app:" + app) ?? Figures()
    return Comparison(baseline: figures, label: baselineLabel, source: source)
  }

  static func figures(_ s: Summary, _ scope: PageScope) -> Figures {
    if let app = scope.app { return s.apps.first { $0.name == app }?.figures ?? Figures() }
    return s.totals
  }
}

/// A directive: its name, arguments, an example, and how it renders.
public struct DirectiveDefinition: Sendable {
  public var name: String
  public var summary: String
  public var arguments: [DirectiveArgument]
  public var example: String
  let render: @Sendable (_ args: [String: String], _ call: DirectiveCall, _ context: RenderContext) throws(TemplateError) -> HTML
}

extension DirectiveDefinition {
  /// Checks `call` against the arguments and returns every value, defaults filled in.
  func resolve(_ call: DirectiveCall) throws(TemplateError) -> [String: String] {
    var values: [String: String] = [:]
    let keys = arguments.map(\.key)
    for a in call.arguments {
      guard let def = arguments.first(where: { $0.key == a.key }) else {
        let shown = a.key.isEmpty ? a.value : a.key
        let valid = keys.map { $0.isEmpty ? "(main argument)" : $0 }
        throw TemplateError(position: a.position, text: shown, message: "`\(name)` has no argument `\(shown)`", validNames: valid)
      }
      if let allowed = def.allowed {
        let items = def.isList ? a.value.split(separator: ",").map { String($0).trimmingCharacters(in: " ") } : [a.value]
        for item in items where !allowed.contains(item) {
          throw TemplateError(
            position: a.position, text: item, message: "unknown \(def.key.isEmpty ? name : def.key) `\(item)` in `\(name)`", validNames: allowed)
        }
      }
      values[a.key] = a.value
    }
    for def in arguments where values[def.key] == nil {
      guard let d = def.defaultValue else {
        throw TemplateError(
          position: call.position, text: call.text,
          message: "`\(name)` needs \(def.key.isEmpty ? "its main argument" : "`\(def.key)=…`")", validNames: def.allowed ?? [])
      }
      values[def.key] = d
    }
    return values
  }
}
