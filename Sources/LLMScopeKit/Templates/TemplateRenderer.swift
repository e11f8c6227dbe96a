/// Renders a parsed template to HTML: Markdown through cmark-gfm, directives through
/// `Directives`, with every directive checked before anything renders.
public struct TemplateRenderer {
  public var allowHTML = false

  public init(allowHTML: Bool = false) { self.allowHTML = allowHTML }

  /// Checks every directive's name and arguments without rendering.
  public func check(_ template: ParsedTemplate) throws(TemplateError) {
    for piece in template.pieces {
      guard case .directive(let call) = piece else { continue }
      _ = try definition(call).resolve(call)
    }
  }

  private func definition(_ call: DirectiveCall) throws(TemplateError) -> DirectiveDefinition {
    guard let d = Directives.named(call.name) else {
      throw TemplateError(position: call.position, text: call.text, message: "unknown directive `\(call.name)`", validNames: Directives.all.map(\.name))
    }
    return d
  }

  /// The body of a page: Markdown rendered, directives expanded.
  public func render(_ template: ParsedTemplate, context: RenderContext) throws(TemplateError) -> HTML {
    try check(template)
    // Directives become placeholder words in the Markdown, replaced after cmark has run, so
    // their HTML never passes through the Markdown parser.
    let nonce = "LLMSCOPEDIRECTIVE"
    var markdown = ""
    var expansions: [HTML] = []
    for piece in template.pieces {
      switch piece {
      case .markdown(let text): markdown += text
      case .directive(let call):
        let d = try definition(call)
        expansions.append(try d.render(try d.resolve(call), call, context))
        markdown += "\(nonce)\(expansions.count - 1)X"
      }
    }
    var html = MarkdownRenderer.html(markdown, allowHTML: allowHTML)
    for (i, e) in expansions.enumerated().reversed() {
      let token = "\(nonce)\(i)X"
      html = html.replacingAll("<p>\(token)</p>", with: e.markup).replacingAll(token, with: e.markup)
    }
    return .trusted(html)
  }
}

extension String {
  /// Every occurrence of `target` replaced (no Foundation needed).
  func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty, contains(target) else { return self }
    var out = ""
    var rest = Substring(self)
    while let r = rest.range(of: target) {
      out += rest[..<r.lowerBound]
      out += replacement
      rest = rest[r.upperBound...]
    }
    return out + rest
  }
}

extension Substring {
  func range(of target: String) -> Range<Index>? {
    let t = Array(target.utf8)
    let u = self.utf8
    var i = u.startIndex
    while i != u.endIndex {
      var j = i
      var k = 0
      while k < t.count, j != u.endIndex, u[j] == t[k] {
        j = u.index(after: j)
        k += 1
      }
      if k == t.count { return i..<j }
      i = u.index(after: i)
    }
    return nil
  }
}
