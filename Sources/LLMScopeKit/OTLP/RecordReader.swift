#if canImport(Glibc)
import Glibc
#endif

/// The encoding of a trace input, detected from its first bytes.
public enum InputFormat: String, Sendable {
  /// OTLP/JSON: one document, or JSON lines as the Collector's file exporter writes them.
  case json
  /// One OTLP protobuf message (an OTLP/HTTP request body).
  case protobuf
  /// Protobuf messages each prefixed by a 4-byte big-endian length (Collector file exporter,
  /// `format: proto`).
  case protobufFramed = "protobuf-framed"
}

/// One record of an input: the bytes of one export message and where they were.
struct InputRecord {
  var bytes: UnsafeBufferPointer<UInt8>
  /// Offset of the record's first byte in the (decompressed) input.
  var offset: Int
  /// 1-based line where a JSON record starts.
  var line: Int?
}

/// A source that first replays bytes already read, then continues with another source.
private final class ReplayByteSource: ByteSource {
  private var prefix: [UInt8]
  private let inner: ByteSource
  init(prefix: [UInt8], inner: ByteSource) {
    self.prefix = prefix
    self.inner = inner
  }
  func read(into buffer: inout [UInt8], max: Int) throws(InputError) -> Int {
    if !prefix.isEmpty {
      let n = min(max, prefix.count)
      buffer.append(contentsOf: prefix[0..<n])
      prefix.removeFirst(n)
      return n
    }
    return try inner.read(into: &buffer, max: max)
  }
}

/// Splits an input into records, detecting gzip and the encoding from the content.
///
/// Memory stays bounded by the largest record: JSON lines are split at newlines, a
/// pretty-printed JSON document at the end of each top-level value, framed protobuf at each
/// length prefix. Only a single unframed protobuf message is read whole.
final class RecordReader {
  private var source: ByteSource
  let name: String
  private var buffer: [UInt8] = []
  private var start = 0
  /// Offset of `buffer[0]` in the decompressed input.
  private var base = 0
  private var eof = false
  private var line = 1
  private var jsonLines = false
  private(set) var format: InputFormat?
  private(set) var compressed = false
  static let chunk = 1 << 20

  init(source: ByteSource, name: String) {
    self.source = source
    self.name = name
  }

  private func location(_ offset: Int, line: Int? = nil) -> InputLocation {
    InputLocation(file: name, line: line, byteOffset: offset)
  }

  /// Reads more bytes; `false` at the end of the input.
  private func fill() throws(InputError) -> Bool {
    if eof { return false }
    if start > 0 && (start >= buffer.count / 2 || start > Self.chunk) {
      buffer.removeFirst(start)
      base += start
      start = 0
    }
    let n = try source.read(into: &buffer, max: Self.chunk)
    if n == 0 { eof = true }
    return n > 0
  }

  /// Detects compression and encoding. `nil` for an empty input.
  func detect() throws(InputError) -> InputFormat? {
    while buffer.count < 8, try fill() {}
    if buffer.count >= 2 && buffer[0] == 0x1F && buffer[1] == 0x8B {
      compressed = true
      source = try GzipByteSource(ReplayByteSource(prefix: buffer, inner: source), name: name)
      buffer = []
      start = 0
      eof = false
      while buffer.count < 8, try fill() {}
    }
    if buffer.count >= 4 && buffer[0] == 0x28 && buffer[1] == 0xB5 && buffer[2] == 0x2F && buffer[3] == 0xFD {
      throw InputError(
        location: location(0), message: "zstd-compressed data is not supported",
        hint: "decompress it first, e.g. `zstd -dc FILE | llmscope ingest -`; gzip is read directly")
    }
    var i = 0
    while i < buffer.count, [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains(buffer[i]) { i += 1 }  // spaces, BOM
    if i >= buffer.count {
      if buffer.contains(where: { $0 > 0x20 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }) == false { return nil }
    }
    let first = buffer[min(i, buffer.count - 1)]
    if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
      format = .json
    } else if buffer[0] == 0x0A {
      format = .protobuf
    } else if buffer.count >= 5 && buffer[4] == 0x0A && buffer[0] == 0 {
      format = .protobufFramed
    } else {
      throw InputError(
        location: location(0), message: "not OTLP trace data: neither JSON (starts with '{') nor OTLP protobuf",
        hint: "llmscope reads OTLP/JSON, JSON lines, OTLP protobuf and the Collector's length-prefixed protobuf, optionally gzip-compressed")
    }
    return format
  }

  /// Calls `body` with the next record; `false` when the input has no more records.
  func next(_ body: (InputRecord) throws -> Void) throws -> Bool {
    switch format {
    case .json?: return try nextJSON(body)
    case .protobufFramed?: return try nextFrame(body)
    case .protobuf?:
      if eof && start >= buffer.count { return false }
      while try fill() {}
      let offset = base + start
      try buffer.withUnsafeBufferPointer { b in
        try body(InputRecord(bytes: UnsafeBufferPointer(rebasing: b[start...]), offset: offset, line: nil))
      }
      start = buffer.count
      return true
    case nil: return false
    }
  }

  private func nextFrame(_ body: (InputRecord) throws -> Void) throws -> Bool {
    while buffer.count - start < 4 {
      if !(try fill()) {
        if buffer.count > start {
          throw InputError(location: location(base + start), message: "truncated length prefix (\(buffer.count - start) bytes)", hint: nil)
        }
        return false
      }
    }
    let n = Int(buffer[start]) << 24 | Int(buffer[start + 1]) << 16 | Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
    while buffer.count - start - 4 < n {
      if !(try fill()) {
        throw InputError(
          location: location(base + start), message: "message of \(n) bytes is cut short (\(buffer.count - start - 4) bytes left)",
          hint: "the file was truncated; the messages before it were read")
      }
    }
    let offset = base + start + 4
    let s = start + 4
    try buffer.withUnsafeBufferPointer { b in
      try body(InputRecord(bytes: UnsafeBufferPointer(rebasing: b[s..<(s + n)]), offset: offset, line: nil))
    }
    start = s + n
    return true
  }

  private func nextJSON(_ body: (InputRecord) throws -> Void) throws -> Bool {
    // Skip whitespace (and a UTF-8 byte-order mark), counting lines.
    while true {
      if start >= buffer.count {
        if !(try fill()) { return false }
        continue
      }
      let c = buffer[start]
      if c == 0x0A {
        line += 1
      } else if !(c == 0x20 || c == 0x09 || c == 0x0D || (base + start < 3 && (c == 0xEF || c == 0xBB || c == 0xBF))) {
        break
      }
      start += 1
    }
    let recordLine = line
    var end: Int
    if jsonLines {
      end = try lineEnd()
    } else {
      end = try valueEnd()
      // A first record that fits on one line makes this a JSON-lines input.
      if !buffer[start..<end].contains(0x0A) { jsonLines = true }
    }
    let offset = base + start
    let s = start
    try buffer.withUnsafeBufferPointer { b in
      try body(InputRecord(bytes: UnsafeBufferPointer(rebasing: b[s..<end]), offset: offset, line: recordLine))
    }
    for c in buffer[start..<end] where c == 0x0A { line += 1 }
    start = end
    return true
  }

  /// The end of the current line (exclusive), reading more as needed.
  private func lineEnd() throws -> Int {
    var i = start
    while true {
      let found = buffer.withUnsafeBufferPointer { b -> Int? in
        guard i < b.count, let p = memchr(b.baseAddress! + i, 0x0A, b.count - i) else { return nil }
        return UnsafeRawPointer(p) - UnsafeRawPointer(b.baseAddress!)
      }
      if let found { return found }
      i = buffer.count
      let before = start
      if !(try fill()) { return buffer.count }
      i -= before - start  // the buffer may have been compacted
    }
  }

  /// The end of the JSON value starting at `start` (exclusive); the input's end if the
  /// value never closes, so the decoder reports where it broke.
  private func valueEnd() throws -> Int {
    var i = start
    var depth = 0
    var inString = false
    var escaped = false
    while true {
      while i < buffer.count {
        let c = buffer[i]
        i += 1
        if inString {
          if escaped {
            escaped = false
          } else if c == UInt8(ascii: "\\") {
            escaped = true
          } else if c == UInt8(ascii: "\"") {
            inString = false
          }
          continue
        }
        switch c {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          depth -= 1
          if depth <= 0 { return i }
        default:
          if depth == 0 && c == 0x0A { return i - 1 }
        }
      }
      let before = start
      if !(try fill()) { return buffer.count }
      i -= before - start
    }
  }
}
