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
    return .trusted(Self.expand(MarkdownRenderer.html(markdown, allowHTML: allowHTML), nonce: nonce, expansions))
  }

  /// Replaces each placeholder (`<p>NONCE3X</p>` or a bare `NONCE3X`) with its expansion, in
  /// one pass over the HTML.
  static func expand(_ html: String, nonce: String, _ expansions: [HTML]) -> String {
    guard !expansions.isEmpty else { return html }
    let bytes = Array(html.utf8)
    let marker = Array(nonce.utf8)
    let open = Array("<p>".utf8)
    let close = Array("</p>".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + expansions.reduce(0) { $0 + $1.markup.utf8.count })
    func matches(_ pattern: [UInt8], at i: Int) -> Bool {
      i >= 0 && i + pattern.count <= bytes.count && bytes[i..<i + pattern.count].elementsEqual(pattern)
    }
    var i = 0
    while i < bytes.count {
      if bytes[i] == marker[0], matches(marker, at: i) {
        var j = i + marker.count
        var index = 0
        while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 {
          index = index * 10 + Int(bytes[j] - 0x30)
          j += 1
        }
        if j > i + marker.count, j < bytes.count, bytes[j] == UInt8(ascii: "X"), index < expansions.count {
          j += 1
          // A directive alone in its paragraph replaces the paragraph.
          if out.count >= open.count, out[(out.count - open.count)...].elementsEqual(open), matches(close, at: j) {
            out.removeLast(open.count)
            j += close.count
          }
          out.append(contentsOf: expansions[index].markup.utf8)
          i = j
          continue
        }
      }
      out.append(bytes[i])
      i += 1
    }
    return String(decoding: out, as: UTF8.self)
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
