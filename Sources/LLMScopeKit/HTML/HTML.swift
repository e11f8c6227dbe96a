/// A fragment of HTML that is safe to place in a page.
///
/// Text from user data enters only through `text(_:)` and attribute values, which escape
/// `& < > " '`; the one unescaped door is `trusted(_:)`, kept for cmark-gfm's output of our own
/// templates and for markup llmscope writes itself.
public struct HTML: Sendable, Equatable {
  public private(set) var markup: String

  private init(markup: String) { self.markup = markup }

  public static let empty = HTML(markup: "")

  /// Escaped text.
  public static func text(_ s: String) -> HTML { HTML(markup: escape(s)) }

  /// Markup llmscope produced itself; never pass user data here.
  static func trusted(_ s: String) -> HTML { HTML(markup: s) }

  /// An element with escaped attribute values. URL attributes (`href`, `src`) keep only
  /// relative links and fragments; anything with a scheme becomes `#`.
  public static func element(_ tag: String, _ attributes: [(String, String)] = [], _ children: [HTML] = []) -> HTML {
    var s = "<" + tag
    for (k, v) in attributes {
      let value = (k == "href" || k == "src") ? safeURL(v) : v
      s += " \(k)=\"\(escape(value))\""
    }
    s += ">"
    if voidElements.contains(tag) { return HTML(markup: s) }
    for c in children { s += c.markup }
    return HTML(markup: s + "</\(tag)>")
  }

  public static func element(_ tag: String, _ attributes: [(String, String)] = [], text: String) -> HTML {
    element(tag, attributes, [.text(text)])
  }

  public static func + (a: HTML, b: HTML) -> HTML { HTML(markup: a.markup + b.markup) }

  public static func join(_ parts: [HTML]) -> HTML { HTML(markup: parts.map(\.markup).joined()) }

  private static let voidElements: Set<String> = ["br", "hr", "img", "input", "meta", "link", "col", "wbr"]

  /// `&`, `<`, `>`, `"` and `'` as entities.
  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(ch)
      }
    }
    return out
  }

  /// Relative paths and fragments pass; anything with a scheme or `//` does not.
  static func safeURL(_ url: String) -> String {
    let lower = url.lowercased().trimmingCharacters(in: " ")
    if lower.hasPrefix("//") || lower.contains(":") && !(lower.firstIndex(of: ":")! > (lower.firstIndex(of: "/") ?? lower.endIndex)) {
      return "#"
    }
    return url
  }
}
