/// The directive reference in Markdown, generated from `Directives.all`; Templates/README.md
/// carries it between `<!-- directives -->` markers and a test keeps the two equal.
public enum DirectiveReference {
  public static func markdown() -> String {
    var out = ""
    for d in Directives.all {
      out += "### `\(d.name)`\n\n\(d.summary)\n\n| argument | values | default |\n| --- | --- | --- |\n"
      for a in d.arguments {
        let key = a.key.isEmpty ? "(main, bare word)" : "`\(a.key)`"
        var values = a.allowed.map { $0.map { "`\($0)`" }.joined(separator: ", ") } ?? "text"
        if a.isList { values = "comma-separated list of " + values }
        let def = a.defaultValue.map { $0.isEmpty ? "(none)" : "`\($0)`" } ?? "required"
        out += "| \(key): \(a.summary) | \(values) | \(def) |\n"
      }
      out += "\nExample: `\(d.example)`\n\n"
    }
    return out
  }
}
