import Foundation

/// `llmscope ingest`: reads OTLP trace files into a store.
struct IngestCommand: Command {
  let name = "ingest"
  let summary = "read OTLP trace data (JSON, JSON lines, protobuf, gzip) into a span store"
  var help: String {
    """
    Usage: llmscope ingest [--store PATH|URL] [--batch-spans N] [--max-value-bytes N] INPUT...

    Reads OpenTelemetry trace data into a span store. INPUT is a file, a folder (every file
    in it, recursively) or `-` for standard input. Accepted, detected from the content:
    OTLP/JSON (ExportTraceServiceRequest or TracesData), JSON lines as the Collector's file
    exporter writes them, OTLP protobuf, the Collector's length-prefixed protobuf; each may be
    gzip-compressed.

    Options:
      --store PATH|URL       the store to write (default: llmscope.db; created when missing),
                             or clickhouse://HOST:PORT/DB?table=otel_traces
      --batch-spans N        spans per transaction (default: 5000)
      --max-value-bytes N    the largest attribute value stored (default: 1048576); a longer
                             one keeps its first N bytes and llmscope.cut.<key> records its size
      --quiet                print no summary line

    Spans already in the store (same trace and span id) are counted as duplicates and not
    added again. Malformed records and spans are reported on standard error with their file,
    line and byte offset; the rest is stored. Exit status: 0 when everything was read, 1 when
    anything was rejected or failed, 2 on a usage error.

    """
  }

  func run(_ args: [String], console: Console) throws -> Int32 {
    let a = try Arguments(args, options: ["--store", "--batch-spans", "--max-value-bytes"], flags: ["--quiet"])
    guard !a.positionals.isEmpty else { throw UsageError(message: "no INPUT given") }
    var batch = 5_000
    if let b = a["--batch-spans"] {
      guard let n = Int(b), n > 0 else { throw UsageError(message: "--batch-spans needs a positive number, not '\(b)'") }
      batch = n
    }
    let storeArg = a["--store"] ?? "llmscope.db"
    let store: any SpanSink
    let storeName: String
    if ClickHouseLocation.isURL(storeArg) {
      let ch = ClickHouseSpanStore(try ClickHouseLocation(storeArg, environment: ProcessInfo.processInfo.environment))
      try ch.prepareForWriting()
      (store, storeName) = (ch, ch.location.description)
    } else {
      let sqlite = try SQLiteSpanStore(path: storeArg, create: true)
      (store, storeName) = (sqlite, sqlite.path)
    }
    let ingestor = Ingestor(store: store)
    ingestor.batchSpans = batch
    if let m = a["--max-value-bytes"] {
      guard let n = Int(m), n > 0 else { throw UsageError(message: "--max-value-bytes needs a positive number, not '\(m)'") }
      ingestor.valueLimit = ValueLimit(maxBytes: n)
    }
    if console.showsProgress {
      ingestor.progress = { r in console.err("\r\u{1B}[Kingest: \(r.files) files, \(r.spansRead) spans read, \(r.stored) stored") }
    }
    let report = try ingestor.ingest(a.positionals)
    if console.showsProgress { console.err("\r\u{1B}[K") }
    let shown = 50
    for r in report.rejections.prefix(shown) { console.err("rejected: \(r)\n") }
    if report.rejections.count > shown { console.err("rejected: … and \(report.rejections.count - shown) more\n") }
    if !a.has("--quiet") {
      var line = "\(report.spansRead) spans read from \(report.files) file\(report.files == 1 ? "" : "s") (\(report.records) records): "
      line += "\(report.stored) stored, \(report.duplicates) duplicate, \(report.rejectedSpans) rejected"
      if report.rejectedRecords > 0 { line += "; \(report.rejectedRecords) unreadable record\(report.rejectedRecords == 1 ? "" : "s") rejected" }
      if report.valuesCut > 0 {
        line += "; \(report.valuesCut) attribute value\(report.valuesCut == 1 ? "" : "s") over \(ingestor.valueLimit.maxBytes) bytes stored cut (llmscope.cut.<key> records each)"
      }
      console.out(line + " → \(storeName)\n")
    }
    return report.hasRejections ? 1 : 0
  }
}
