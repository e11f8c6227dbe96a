/// The one layout of every page: header with the site title, navigation, the report's time
/// range and generation time; the page body; a footer.
struct PageFrame {
  var siteTitle: String
  var navigation: [(file: String, title: String)]
  var range: TimeRange
  var generatedAt: Int64
  /// The range the page's figures are compared with, when it compares.
  var baseline: TimeRange?
  /// The stylesheet's file name, or `nil` to inline it (single-file pages).
  var stylesheet: String?

  func page(file: String, title: String, body: HTML) -> String {
    let nav = HTML.element("nav", [("aria-label", "Pages")], [
      .element("ul", [], navigation.map { item in
        var attrs = [("href", item.file)]
        if item.file == file { attrs.append(("aria-current", "page")) }
        return HTML.element("li", [], [.element("a", attrs, text: item.title)])
      })
    ])
    let rangeText = "\(Timestamp.display(range.from)) – \(Timestamp.display(range.to))"
    let header = HTML.element("header", [("class", "site-header")], [
      .element("div", [("class", "site-title")], [.element("a", [("href", "index.html")], text: siteTitle)]),
      nav,
      .element("p", [("class", "report-meta")], [
        .text("Range "), .element("span", [], text: rangeText), .text(" · generated "),
        .element("time", [("datetime", Timestamp.format(generatedAt, fractionDigits: 0))], text: Timestamp.display(generatedAt)),
      ]),
    ])
    let footer = HTML.element("footer", [("class", "site-footer")], [
      .text("Made by llmscope \(CommandLineTool.version) from OpenTelemetry spans. A static page: no server, no network. "),
      .text("Percentiles interpolate linearly between closest ranks (numpy's default, ClickHouse's quantileExactInclusive)."),
    ])
    var rangeData = [("data-range-from", Timestamp.format(range.from, fractionDigits: 9)), ("data-range-to", Timestamp.format(range.to, fractionDigits: 9))]
    if let b = baseline {
      rangeData += [("data-baseline-from", Timestamp.format(b.from, fractionDigits: 9)), ("data-baseline-to", Timestamp.format(b.to, fractionDigits: 9))]
    }
    let main = HTML.element("main", rangeData, [.element("h1", [], text: title), body])
    // The table script is inlined only into pages with an interactive table.
    let script = body.markup.containsBytes("data-sortable") ? "\n<script>\n" + String(decoding: DefaultTemplates.tableScript, as: UTF8.self) + "</script>" : ""
    let style = stylesheet == nil ? "<style>\n" + String(decoding: DefaultTemplates.stylesheet, as: UTF8.self) + "</style>" : ""
    let rest = header.markup + "\n" + main.markup + "\n" + footer.markup + script
    let head = HTML.element("head", [], [
      .trusted("<meta charset=\"utf-8\">"),
      .element("meta", [("http-equiv", "Content-Security-Policy"), ("content", Self.contentSecurityPolicy(inline: style + rest))]),
      .trusted("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
      .trusted("<meta name=\"generator\" content=\"llmscope\">"),
      .element("title", [], text: title == siteTitle ? title : "\(title) · \(siteTitle)"),
      stylesheet.map { HTML.element("link", [("rel", "stylesheet"), ("href", $0)]) } ?? .trusted(style),
    ])
    return "<!DOCTYPE html>\n<html lang=\"en\">\n" + head.markup + "\n<body>\n" + rest + "\n</body>\n</html>\n"
  }

  /// A policy that lets the page use only its own files and the inline scripts and styles it
  /// carries (each by its SHA-256), and nothing from the network.
  static func contentSecurityPolicy(inline html: String) -> String {
    let bytes = Array(html.utf8)
    func hashes(_ tag: String) -> String {
      let open = Array("<\(tag)>".utf8)
      let close = Array("</\(tag)>".utf8)
      var out: [String] = []
      var i = 0
      while i < bytes.count {
        guard bytes[i] == UInt8(ascii: "<"), bytes.hasBytes(open, at: i) else {
          i += 1
          continue
        }
        var j = i + open.count
        while j < bytes.count, !bytes.hasBytes(close, at: j) { j += 1 }
        let hash = "'sha256-" + Hex.base64Encode(SHA256.digest(bytes[(i + open.count)..<j])) + "'"
        if !out.contains(hash) { out.append(hash) }
        i = j + close.count
      }
      return out.map { " " + $0 }.joined()
    }
    return "default-src 'none'; img-src 'self' data:; style-src 'self'\(hashes("style")); script-src 'self'\(hashes("script")); "
      + "base-uri 'none'; form-action 'none'; object-src 'none'"
  }
}
