/// An OpenTelemetry attribute value (OTLP `AnyValue`), kept exactly as it arrived.
public enum AnyValue: Sendable, Equatable {
  case string(String)
  case bool(Bool)
  case int(Int64)
  case double(Double)
  case bytes([UInt8])
  case array([AnyValue])
  case kvlist([KeyValue])
  /// The empty `AnyValue` (`{}` in JSON, no field set in protobuf).
  case empty

  /// The value as text: strings as they are, scalars in their usual notation, `nil` for
  /// structured values and bytes.
  public var text: String? {
    switch self {
    case .string(let s): return s
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .double(let d): return NumberFormatting.shortest(d)
    default: return nil
    }
  }

  /// The value as an integer, converting numeric strings (Dify sends token counts as text).
  public var int64: Int64? {
    switch self {
    case .int(let i): return i
    case .double(let d): return d.isFinite && d == d.rounded() && abs(d) < 9.2e18 ? Int64(d) : nil
    case .string(let s): return Int64(s.trimmingSpaces) ?? Double(s.trimmingSpaces).flatMap { AnyValue.double($0).int64 }
    default: return nil
    }
  }

  /// The value as a floating point number, converting numeric strings.
  public var double: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    case .string(let s): return Double(s.trimmingSpaces)
    default: return nil
    }
  }

  /// The value as a boolean; accepts `"true"`/`"false"` strings (Dify) and 0/1.
  public var bool: Bool? {
    switch self {
    case .bool(let b): return b
    case .string(let s):
      switch s.trimmingSpaces.lowercased() {
      case "true", "1": return true
      case "false", "0": return false
      default: return nil
      }
    case .int(let i): return i != 0
    default: return nil
    }
  }
}

/// One attribute: a key and its value.
public struct KeyValue: Sendable, Equatable {
  public var key: String
  public var value: AnyValue
  public init(key: String, value: AnyValue) {
    self.key = key
    self.value = value
  }
}

extension Array where Element == KeyValue {
  /// The value of the last attribute with this key (OTLP keys are unique; the last one wins).
  public subscript(key: String) -> AnyValue? {
    var found: AnyValue?
    for kv in self where kv.key == key { found = kv.value }
    return found
  }
}

extension String {
  var trimmingSpaces: Substring {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
    return s
  }
}
