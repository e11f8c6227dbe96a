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
    var i = 0
    while i < bytes.count {
      if bytes[i] == marker[0], bytes.hasBytes(marker, at: i) {
        var j = i + marker.count
        var index = 0
        while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 {
          index = index * 10 + Int(bytes[j] - 0x30)
          j += 1
        }
        if j > i + marker.count, j < bytes.count, bytes[j] == UInt8(ascii: "X"), index < expansions.count {
          j += 1
          // A directive alone in its paragraph replaces the paragraph.
          if out.hasBytes(open, at: out.count - open.count), bytes.hasBytes(close, at: j) {
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
