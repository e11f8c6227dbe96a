/// The templates llmscope ships (Templates/ in the repository, embedded in the binary).
enum DefaultTemplates {
  static let all: [(name: String, source: [UInt8])] = [
    ("index", PackageResources.index_md), ("app", PackageResources.app_md), ("models", PackageResources.models_md),
    ("tokens", PackageResources.tokens_md), ("traces", PackageResources.traces_md), ("trace", PackageResources.trace_md),
    ("usage", PackageResources.usage_md), ("model", PackageResources.model_md),
    ("business_system", PackageResources.business_system_md),
  ]

  static let stylesheet: [UInt8] = PackageResources.style_css
  /// The optional script for filterable, sortable tables, inlined into pages that have one.
  static let tableScript: [UInt8] = PackageResources.table_js
  /// The span search's script, inlined by `{{ span_search }}`.
  static let searchScript: [UInt8] = PackageResources.search_js
}
