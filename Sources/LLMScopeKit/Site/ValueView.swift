/// Attribute values and message text for pages: JSON pretty-printed, long values cut with
/// the whole value one click away, secrets masked, content under `--content`.
struct ValueView {
  var content: ContentPolicy
  /// Characters shown before "show all".
  static let visible = 1200

  /// A value of attribute `key`.
  func attribute(_ key: String, _ value: AnyValue) -> HTML {
    if SecretAttributes.isSecret(key) {
      let n = value.text?.count ?? 0
      return .element("span", [("class", "redacted")], text: "•••• (secret, \(n) characters, not shown)")
    }
    let text: String
    switch value {
    case .string(let s): text = s
    case .bytes(let b): text = "\(b.count) bytes (base64) " + Hex.base64Encode(Array(b.prefix(96))) + (b.count > 96 ? "…" : "")
    case .empty: text = ""
    default: text = value.text ?? JSONValue(attribute: value, parseStrings: false).map(MessageReader.jsonText) ?? ""
    }
    return block(text, isContent: ContentAttributes.isContent(key))
  }

  /// Text that may be long or JSON; `isContent` applies the content policy.
  func block(_ raw: String, isContent: Bool) -> HTML {
    var text = raw
    var note: String?
    if isContent { (text, note) = content.apply(raw) }
    var parts: [HTML] = []
    if !text.isEmpty {
      if let first = text.first, first == "{" || first == "[", let json = JSONValue.parse(text) { text = Self.pretty(json) }
      if text.count > Self.visible {
        parts.append(.element("pre", [("class", "value")], text: String(text.prefix(Self.visible)) + "…"))
        parts.append(.element("details", [("class", "more")], [
          .element("summary", [], text: "Show all \(FigureName.grouped(Int64(text.count))) characters"),
          .element("pre", [("class", "value")], text: text),
        ]))
      } else {
        parts.append(.element("pre", [("class", "value")], text: text))
      }
    }
    if let note { parts.append(.element("p", [("class", "withheld")], text: note)) }
    return .join(parts)
  }

  /// JSON with two-space indentation, keys in their recorded order.
  static func pretty(_ v: JSONValue, indent: String = "") -> String {
    let inner = indent + "  "
    switch v {
    case .object(let members):
      if members.isEmpty { return "{}" }
      return "{\n" + members.map { inner + MessageReader.jsonText(.string($0.0)).quoted + ": " + pretty($0.1, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "}"
    case .array(let items):
      if items.isEmpty { return "[]" }
      return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
    case .string(let s):
      var w = JSONWriter()
      w.string(s)
      return w.string
    default: return MessageReader.jsonText(v)
    }
  }
}

private extension String {
  /// A JSON string literal of this text.
  var quoted: String {
    var w = JSONWriter()
    w.string(self)
    return w.string
  }
}
