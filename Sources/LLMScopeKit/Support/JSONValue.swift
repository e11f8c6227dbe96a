/// A parsed JSON document, for the JSON that instrumentations put inside string attributes
/// (`llm.invocation_parameters`, `langfuse.observation.usage_details`, message lists).
public indirect enum JSONValue: Sendable, Equatable {
  case object([(String, JSONValue)])
  case array([JSONValue])
  case string(String)
  case number(Double)
  case bool(Bool)
  case null

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.object(let x), .object(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    case (.array(let x), .array(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.null, .null): return true
    default: return false
    }
  }

  /// Parses `text`; `nil` when it is not one well-formed JSON value.
  public static func parse(_ text: String) -> JSONValue? {
    var offset = 0
    return parse(text, errorOffset: &offset)
  }

  /// Parses `text`; `nil` when it is not one well-formed JSON value, with the byte offset
  /// where reading stopped in `errorOffset`.
  public static func parse(_ text: String, errorOffset: inout Int) -> JSONValue? {
    var copy = text
    var stopped = 0
    let v: JSONValue? = copy.withUTF8 { buf in
      let p = JSONParser(buf)
      defer { stopped = p.offset }
      guard let v = try? value(p), p.atEnd else { return nil }
      return v
    }
    errorOffset = stopped
    return v
  }

  private static func value(_ p: JSONParser) throws -> JSONValue {
    switch p.peek() {
    case UInt8(ascii: "{"):
      var members: [(String, JSONValue)] = []
      try p.forEachMember { k in members.append((k, try value(p))) }
      return .object(members)
    case UInt8(ascii: "["):
      var items: [JSONValue] = []
      try p.forEachElement { items.append(try value(p)) }
      return .array(items)
    case UInt8(ascii: "\""): return .string(try p.readString())
    case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try p.readBool())
    case UInt8(ascii: "n"):
      try p.skipValue()
      return .null
    default: return .number(try p.readDouble())
    }
  }

  /// The member `key` of an object (the last one when repeated).
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.last(where: { $0.0 == key })?.1
  }

  public var string: String? {
    switch self {
    case .string(let s): return s
    case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    case .bool(let b): return b ? "true" : "false"
    default: return nil
    }
  }

  public var double: Double? {
    switch self {
    case .number(let d): return d
    case .string(let s): return Double(s)
    default: return nil
    }
  }

  public var bool: Bool? {
    switch self {
    case .bool(let b): return b
    case .string(let s): return s.lowercased() == "true" ? true : s.lowercased() == "false" ? false : nil
    default: return nil
    }
  }

  /// Converts an OTLP attribute value to JSON: strings holding JSON are parsed, kvlists become
  /// objects, arrays arrays.
  public init?(attribute: AnyValue, parseStrings: Bool = true) {
    switch attribute {
    case .string(let s):
      if parseStrings, let first = s.utf8.first(where: { $0 != 0x20 && $0 != 0x0A }),
        first == UInt8(ascii: "{") || first == UInt8(ascii: "["), let v = JSONValue.parse(s)
      {
        self = v
      } else {
        self = .string(s)
      }
    case .bool(let b): self = .bool(b)
    case .int(let i): self = .number(Double(i))
    case .double(let d): self = .number(d)
    case .array(let a): self = .array(a.compactMap { JSONValue(attribute: $0, parseStrings: false) })
    case .kvlist(let kv): self = .object(kv.compactMap { k in JSONValue(attribute: k.value, parseStrings: false).map { (k.key, $0) } })
    case .bytes, .empty: return nil
    }
  }
}
