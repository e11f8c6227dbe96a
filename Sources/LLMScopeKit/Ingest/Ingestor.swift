import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// A store that ingest writes into: the SQLite store, or ClickHouse's `otel_traces`.
public protocol SpanSink {
  /// Stores one prepared batch whole, or nothing of it; spans already stored are counted as
  /// duplicates and not stored again.
  func insert(_ batch: PreparedBatch) throws -> InsertResult
}

/// What one `insert` did.
public struct InsertResult: Sendable, Equatable {
  public var stored = 0
  public var duplicates = 0
}

/// Reads OTLP trace inputs (files, folders, standard input) into a span store.
///
/// Records are decoded one at a time and stored in batches of whole records, each batch one
/// transaction: a crash loses at most the batch in flight, a bad record is reported and its
/// neighbours are stored. Reading, decoding and preparing rows run on a second thread while
/// the calling thread writes the previous batch.
public final class Ingestor {
  let store: any SpanSink
  /// Spans per transaction (a batch never splits a record).
  public var batchSpans = 5_000
  /// Called after each batch with the running totals.
  public var progress: ((IngestReport) -> Void)?
  /// The largest attribute value stored; longer ones are cut, and the cut recorded.
  public var valueLimit = ValueLimit.standard

  public init(store: any SpanSink) { self.store = store }

  private enum Message: Sendable {
    case batch(PreparedBatch, IngestReport)
    case done(IngestReport)
    case failed(String)
  }

  /// Ingests every input: `-` is standard input, a folder means every file in it (sorted,
  /// recursively, hidden files skipped).
  public func ingest(_ inputs: [String]) throws -> IngestReport {
    let channel = BatchChannel<Message>(capacity: 1)
    let cancel = CancellationFlag()
    let reader = InputDecoder(inputs: inputs, batchSpans: batchSpans, valueLimit: valueLimit, cancel: cancel) { batch, report in
      channel.send(.batch(batch, report))
    }
    DispatchQueue.global().async {
      do {
        channel.send(.done(try reader.run()))
      } catch {
        channel.send(.failed("\(error)"))
      }
    }
    var stored = 0
    var duplicates = 0
    var failure: Error?
    while true {
      switch channel.receive() {
      case .batch(let batch, var report):
        guard failure == nil else { continue }
        do {
          let r = try store.insert(batch)
          stored += r.stored
          duplicates += r.duplicates
          report.stored = stored
          report.duplicates = duplicates
          progress?(report)
        } catch {
          failure = error
          cancel.set()
        }
      case .done(var report):
        if let failure { throw failure }
        report.stored = stored
        report.duplicates = duplicates
        return report
      case .failed(let message):
        if let failure { throw failure }
        throw InputError(location: InputLocation(file: inputs.joined(separator: ", ")), message: message, hint: nil)
      }
    }
  }

  /// Regular files under `folder`, sorted by path, skipping names that start with a dot.
  static func files(in folder: String) -> [String] {
    var out: [String] = []
    for name in (Directory.entries(folder) ?? []).filter({ !$0.hasPrefix(".") }).sorted() {
      let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
      var st = stat()
      guard stat(path, &st) == 0 else { continue }
      if (st.st_mode & S_IFMT) == S_IFDIR { out += files(in: path) } else if (st.st_mode & S_IFMT) == S_IFREG { out.append(path) }
    }
    return out
  }
}

/// The reading side of an ingest: files to records to decoded spans to prepared batches.
final class InputDecoder: @unchecked Sendable {
  private let inputs: [String]
  private let batchSpans: Int
  private let valueLimit: ValueLimit
  private let cancel: CancellationFlag
  private let emit: (PreparedBatch, IngestReport) -> Void
  private var report = IngestReport()
  private var pending: [ResourceSpans] = []
  private var pendingSpans = 0

  init(
    inputs: [String], batchSpans: Int, valueLimit: ValueLimit, cancel: CancellationFlag, emit: @escaping (PreparedBatch, IngestReport) -> Void
  ) {
    self.inputs = inputs
    self.batchSpans = batchSpans
    self.valueLimit = valueLimit
    self.cancel = cancel
    self.emit = emit
  }

  struct Cancelled: Error {}

  func run() throws -> IngestReport {
    do {
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
          for file in Ingestor.files(in: input) { try ingestFile(file, displayName: file) }
        } else {
          try ingestFile(input, displayName: input)
        }
      }
      try flush()
    } catch is Cancelled {}
    return report
  }

  private func reject(_ location: InputLocation, _ field: String, _ reason: String) {
    report.rejectedRecords += 1
    report.rejections.append(Rejection(location: location, field: field, reason: reason, spans: nil))
  }

  private func ingestFile(_ path: String, displayName: String) throws {
    report.files += 1
    do {
      let reader = RecordReader(source: try FileByteSource(path: path), name: displayName)
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
      report.valuesCut += valueLimit.apply(&decoded.resourceSpans)
      pending += decoded.resourceSpans
      pendingSpans += count
    }
    if pendingSpans >= batchSpans { try flush() }
  }

  private func flush() throws {
    if cancel.isSet { throw Cancelled() }
    guard !pending.isEmpty else { return }
    emit(PreparedBatch(pending), report)
    pending.removeAll(keepingCapacity: true)
    pendingSpans = 0
  }
}
