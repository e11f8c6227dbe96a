/// The cap on an attribute value's size in the store (`ingest --max-value-bytes`).
///
/// A string or bytes value longer than the cap, anywhere in a span's or event's attributes
/// (inside arrays and key-value lists too), keeps its first `maxBytes` bytes (whole UTF-8
/// characters); the attribute `llmscope.cut.<key>` records how many bytes the value had, so
/// trace pages show the cut, and ingest counts it. Nothing is cut silently.
public struct ValueLimit: Sendable, Equatable {
  public var maxBytes: Int
  /// The prefix of the attribute that records a cut.
  public static let cutPrefix = "llmscope.cut."
  /// 1 MiB: long prompts fit, a runaway value does not fill the store.
  public static let standard = ValueLimit(maxBytes: 1 << 20)

  public init(maxBytes: Int) { self.maxBytes = max(1, maxBytes) }

  /// Cuts every value over the cap in `batch`; returns how many values were cut.
  func apply(_ batch: inout [ResourceSpans]) -> Int {
    var cut = 0
    for r in batch.indices {
      for s in batch[r].scopeSpans.indices {
        for i in batch[r].scopeSpans[s].spans.indices {
          cut += apply(&batch[r].scopeSpans[s].spans[i].attributes)
          for e in batch[r].scopeSpans[s].spans[i].events.indices { cut += apply(&batch[r].scopeSpans[s].spans[i].events[e].attributes) }
        }
      }
    }
    return cut
  }

  /// Cuts the values of `attributes` over the cap and adds a `llmscope.cut.<key>` for each.
  func apply(_ attributes: inout [KeyValue]) -> Int {
    var notes: [KeyValue] = []
    for i in attributes.indices {
      var original = 0
      if cut(&attributes[i].value, original: &original) { notes.append(KeyValue(key: Self.cutPrefix + attributes[i].key, value: .int(Int64(original)))) }
    }
    attributes += notes
    return notes.count
  }

  /// Cuts `value` in place; `original` adds up the bytes of the values that were cut.
  private func cut(_ value: inout AnyValue, original: inout Int) -> Bool {
    switch value {
    case .string(let s) where s.utf8.count > maxBytes:
      let bytes = Array(s.utf8)
      original += bytes.count
      var n = maxBytes
      while n > 0 && bytes[n] & 0xC0 == 0x80 { n -= 1 }  // not inside a character
      value = .string(String(decoding: bytes[..<n], as: UTF8.self))
      return true
    case .bytes(let b) where b.count > maxBytes:
      original += b.count
      value = .bytes(Array(b.prefix(maxBytes)))
      return true
    case .array(var items):
      var any = false
      for i in items.indices where cut(&items[i], original: &original) { any = true }
      if any { value = .array(items) }
      return any
    case .kvlist(var members):
      var any = false
      for i in members.indices where cut(&members[i].value, original: &original) { any = true }
      if any { value = .kvlist(members) }
      return any
    default:
      return false
    }
  }
}
