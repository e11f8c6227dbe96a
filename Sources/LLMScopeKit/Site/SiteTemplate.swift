/// A page template with what its front matter says about it.
struct SiteTemplate {
  /// What pages a template makes.
  enum Kind: String, CaseIterable {
    /// One page, named after the template file.
    case page
    /// One page per app, `app-<name>.html`, scoped to the app.
    case app
    /// One page per model, `model-<name>.html`, scoped to the model's calls.
    case model
    /// One page per business system, `system-<fingerprint>.html`, scoped to it.
    case businessSystem = "business_system"
    /// One page per trace (made once trace pages exist).
    case trace
  }

  static let frontMatterKeys = ["title", "kind", "app", "from", "to", "models", "nav", "order"]

  var name: String
  var parsed: ParsedTemplate
  var title: String
  var kind: Kind
  var scope: PageScope
  var from: String?
  var to: String?
  /// Shown in the navigation (default yes for pages).
  var inNavigation: Bool
  /// Position in the navigation; then by name.
  var order: Int

  /// The template places a chart, so its pages need figures per time bucket.
  var usesCharts: Bool {
    parsed.pieces.contains { if case .directive(let d) = $0 { d.name == "chart" } else { false } }
  }

  /// A table of the template shows app tags, last-seen times or trends.
  var usesAppDetails: Bool {
    parsed.pieces.contains {
      guard case .directive(let d) = $0, d.name == "table", let columns = d.argument("columns")?.value else { return false }
      return Directives.list(columns).contains { ["tags", "last_seen", "trend"].contains($0) }
    }
  }

  /// The template compares figures with the baseline.
  var comparesPeriods: Bool {
    parsed.pieces.contains {
      guard case .directive(let d) = $0 else { return false }
      return d.name == "compare" || ["previous", "baseline"].contains(d.argument("compare")?.value ?? "")
    }
  }

  init(name: String, source: String, file: String) throws(TemplateError) {
    self.name = name
    let parsed = try TemplateParser.parse(source, file: file)
    self.parsed = parsed
    let fm = parsed.frontMatter
    func position(_ key: String) -> SourcePosition { parsed.frontMatterPositions[key] ?? SourcePosition(file: file, line: 1, column: 1) }
    for key in fm.keys.sorted() where !Self.frontMatterKeys.contains(key) {
      throw TemplateError(position: position(key), text: key, message: "unknown front matter key", validNames: Self.frontMatterKeys)
    }
    title = fm["title"] ?? name
    let kindText = fm["kind"] ?? "page"
    guard let k = Kind(rawValue: kindText) else {
      throw TemplateError(position: position("kind"), text: kindText, message: "unknown page kind", validNames: Kind.allCases.map(\.rawValue))
    }
    kind = k
    scope = PageScope(app: fm["app"], models: Directives.list(fm["models"] ?? ""))
    from = fm["from"]
    to = fm["to"]
    inNavigation = (fm["nav"] ?? (k == .page ? "yes" : "no")) == "yes"
    order = Int(fm["order"] ?? "") ?? 100
  }
}
