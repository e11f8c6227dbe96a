#if canImport(Glibc)
import Glibc
#endif

/// Reads OTLP trace inputs (files, folders, standard input) into a span store.
///
/// Records are decoded one at a time and stored in batches of whole records, each batch one
/// transaction: a crash loses at most the batch in flight, a bad record is reported and its
/// neighbours are stored.
public final class Ingestor {
  let store: SQLiteSpanStore
  /// Spans per transaction (a batch never splits a record).
  public var batchSpans = 20_000
  /// Called after each batch with the running totals.
  public var progress: ((IngestReport) -> Void)?
  public private(set) var report = IngestReport()
  private var pending: [ResourceSpans] = []
  private var pendingSpans = 0

  public init(store: SQLiteSpanStore) { self.store = store }

  /// Ingests every input: `-` is standard input, a folder means every file in it (sorted,
  /// recursively, hidden files skipped).
  public func ingest(_ inputs: [String]) throws -> IngestReport {
    for input in inputs {
      if input == "-" {
        try ingestFile("-", displayName: "<stdin>")
        continue
      }
      var st = stat()
      guard stat(input, &st) == 0 else {
        reject(InputLocation(file: input), "", "cannot read (\(String(cString: strerror(errno))))")
        continue
      }
      if (st.st_mode & S_IFMT) == S_IFDIR {
        for file in Self.files(in: input) { try ingestFile(file, displayName: file) }
      } else {
        try ingestFile(input, displayName: input)
      }
    }
    try flush()
    return report
  }

  /// Regular files under `folder`, sorted by path, skipping names that start with a dot.
  static func files(in folder: String) -> [String] {
    var out: [String] = []
    guard let dir = opendir(folder) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name.hasPrefix(".") { continue }
      names.append(name)
    }
    for name in names.sorted() {
      let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
      var st = stat()
      guard stat(path, &st) == 0 else { continue }
      if (st.st_mode & S_IFMT) == S_IFDIR { out += files(in: path) } else if (st.st_mode & S_IFMT) == S_IFREG { out.append(path) }
    }
    return out
  }

  private func reject(_ location: InputLocation, _ field: String, _ reason: String) {
    report.rejectedRecords += 1
    report.rejections.append(Rejection(location: location, field: field, reason: reason, spans: nil))
  }

  private func ingestFile(_ path: String, displayName: String) throws {
    report.files += 1
    let reader: RecordReader
    do {
      reader = RecordReader(source: try FileByteSource(path: path), name: displayName)
      guard let format = try reader.detect() else { return }
      let location = InputLocation(file: displayName)
      while try reader.next({ record in try decode(record, format: format, location: location) }) {}
    } catch let e as InputError {
      reject(e.location, "", e.message + (e.hint.map { " (\($0))" } ?? ""))
    }
  }

  private func decode(_ record: InputRecord, format: InputFormat, location: InputLocation) throws {
    report.records += 1
    var loc = location
    loc.line = record.line
    var decoded: DecodedRecord
    do {
      switch format {
      case .json:
        decoded = try OTLPJSONDecoder(location: loc).decode(record.bytes, origin: record.offset)
      case .protobuf, .protobufFramed:
        decoded = try OTLPProtobufDecoder(location: loc).decode(record.bytes, range: 0..<record.bytes.count, origin: record.offset)
      }
    } catch let e as JSONSyntaxError {
      loc.byteOffset = e.offset
      reject(loc, "", "invalid JSON: \(e.message); the record was skipped")
      return
    } catch let e as ProtobufError {
      loc.byteOffset = e.offset
      reject(loc, "", "invalid protobuf: \(e.message); the message was skipped")
      return
    }
    let count = decoded.resourceSpans.reduce(0) { $0 + $1.spanCount }
    report.spansRead += count + decoded.rejections.count
    report.rejectedSpans += decoded.rejections.count
    report.rejections += decoded.rejections
    if count > 0 {
      pending += decoded.resourceSpans
      pendingSpans += count
    }
    if pendingSpans >= batchSpans { try flush() }
  }

  private func flush() throws {
    guard !pending.isEmpty else { return }
    let result = try store.insert(pending)
    report.stored += result.stored
    report.duplicates += result.duplicates
    pending.removeAll(keepingCapacity: true)
    pendingSpans = 0
    progress?(report)
  }
}
