import Foundation

#if canImport(Glibc)
import Glibc
#endif

// `make bench`: generates a synthetic data set, ingests it as OTLP JSON lines and as framed
// protobuf, and times the sqlite3 shell's CSV import of the same spans as the floor.

var spans = 1_000_000
var regenerate = false
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
  switch a {
  case "--spans": spans = Int(args.popFirst() ?? "") ?? spans
  case "--regenerate": regenerate = true
  default:
    print("usage: llmscope-bench [--spans N] [--regenerate]")
    exit(2)
  }
}

let dataDir = "bench/data/\(spans)"
let outDir = "bench/out"
let llmscope = ".build/release/llmscope"
let fm = FileManager.default
try fm.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
try? fm.removeItem(atPath: outDir)
try fm.createDirectory(atPath: outDir, withIntermediateDirectories: true)

let jsonPath = dataDir + "/spans.jsonl"
let pbPath = dataDir + "/spans.pb"
let csvPath = dataDir + "/spans.csv"
let headPath = dataDir + "/head.jsonl"

func fileSize(_ p: String) -> Double { Double((try? fm.attributesOfItem(atPath: p)[.size] as? Int) ?? 0) }

if regenerate || !fm.fileExists(atPath: csvPath) {
  FileHandle.standardError.write("generating \(spans) spans in \(dataDir)…\n".data(using: .utf8)!)
  for p in [jsonPath, pbPath, csvPath, headPath] { _ = fm.createFile(atPath: p, contents: nil) }
  let json = FileHandle(forWritingAtPath: jsonPath)!
  let pb = FileHandle(forWritingAtPath: pbPath)!
  let csv = FileHandle(forWritingAtPath: csvPath)!
  let head = FileHandle(forWritingAtPath: headPath)!
  var gen = SyntheticGenerator()
  var written = 0
  gen.generate(total: spans) { batch in
    let line = Data((Encoders.jsonLine(batch) + "\n").utf8)
    json.write(line)
    if written < spans / 10 { head.write(line) }
    pb.write(Data(Encoders.framedProto(batch)))
    csv.write(Data(Encoders.csvRows(batch).utf8))
    written += batch.spans.count
  }
  for h in [json, pb, csv, head] { try h.close() }
}

/// Runs a command, returning wall seconds and peak resident memory (MiB) of that process.
func measure(_ argv: [String], stdin: String? = nil) -> (seconds: Double, peakMiB: Double, status: Int32) {
  var pid: pid_t = 0
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  if let stdin { posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0) }
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
  let cargs = argv.map { strdup($0) } + [nil]
  let start = Date()
  let rc = posix_spawnp(&pid, argv[0], &actions, nil, cargs, environ)
  guard rc == 0 else {
    print("cannot run \(argv[0]): \(String(cString: strerror(rc)))")
    exit(1)
  }
  var status: Int32 = 0
  var usage = rusage()
  wait4(pid, &status, 0, &usage)
  let seconds = Date().timeIntervalSince(start)
  for p in cargs { free(p) }
  return (seconds, Double(usage.ru_maxrss) / 1024, status)
}

let importScript = outDir + "/import.sql"
try """
  CREATE TABLE spans(trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, name TEXT, kind INTEGER,
    start_ns INTEGER, end_ns INTEGER, status_code INTEGER, status_message TEXT, attributes TEXT, events TEXT, app TEXT, resource TEXT);
  CREATE UNIQUE INDEX spans_id ON spans(trace_id, span_id);
  CREATE INDEX spans_start ON spans(start_ns);
  CREATE INDEX spans_app_start ON spans(app, start_ns);
  PRAGMA journal_mode=WAL;
  PRAGMA synchronous=NORMAL;
  .mode csv
  .import \(csvPath) spans
  SELECT count(*) FROM spans;

  """.write(toFile: importScript, atomically: true, encoding: .utf8)

struct Row {
  var name: String
  var bytes: Double
  var result: (seconds: Double, peakMiB: Double, status: Int32)
  var count: Int
}

var rows: [Row] = []
print("llmscope bench: \(spans) synthetic spans (10 apps, 8 models, traces of 5–50 spans and up to 10 of 10,000)")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; single runs, re-run for variance\n")
rows.append(Row(name: "sqlite3 .import CSV (floor)", bytes: fileSize(csvPath), result: measure(["sqlite3", outDir + "/csv.db"], stdin: importScript), count: spans))
rows.append(Row(name: "llmscope ingest JSON lines", bytes: fileSize(jsonPath), result: measure([llmscope, "ingest", "--quiet", "--store", outDir + "/json.db", jsonPath]), count: spans))
rows.append(Row(name: "llmscope ingest protobuf", bytes: fileSize(pbPath), result: measure([llmscope, "ingest", "--quiet", "--store", outDir + "/pb.db", pbPath]), count: spans))
rows.append(Row(name: "llmscope ingest JSON, first 10%", bytes: fileSize(headPath), result: measure([llmscope, "ingest", "--quiet", "--store", outDir + "/head.db", headPath]), count: spans / 10))
rows.append(Row(name: "llmscope summary (whole store)", bytes: fileSize(outDir + "/json.db"), result: measure([llmscope, "summary", "--json", "--store", outDir + "/json.db"]), count: spans))

// Site build: every page of the whole store, against Hugo rendering as many Markdown pages of
// the same average size, and against just copying the site's bytes (the floor).
let site = outDir + "/site"
rows.append(Row(name: "llmscope build (whole store)", bytes: fileSize(outDir + "/json.db"), result: measure([llmscope, "build", "--store", outDir + "/json.db", "--out", site, "--now", "2026-12-03T00:00:00Z"]), count: spans))
let pages = ((try? fm.contentsOfDirectory(atPath: site)) ?? []).filter { $0.hasSuffix(".html") }
let siteBytes = pages.reduce(0.0) { $0 + fileSize(site + "/" + $1) }
rows.append(Row(name: "cp -r of the site (bytes floor)", bytes: siteBytes, result: measure(["cp", "-r", site, outDir + "/site-copy"]), count: spans))
var hugoSeconds: Double?
var hugoPages = 0
if let hugo = ["/usr/bin/hugo", "/usr/local/bin/hugo"].first(where: { fm.isExecutableFile(atPath: $0) }), !pages.isEmpty {
  let hugoDir = outDir + "/hugo"
  try fm.createDirectory(atPath: hugoDir + "/content/p", withIntermediateDirectories: true)
  try fm.createDirectory(atPath: hugoDir + "/layouts/_default", withIntermediateDirectories: true)
  try "baseURL = 'http://localhost/'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap']\n".write(toFile: hugoDir + "/hugo.toml", atomically: true, encoding: .utf8)
  try "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>\n"
    .write(toFile: hugoDir + "/layouts/_default/single.html", atomically: true, encoding: .utf8)
  try "<!DOCTYPE html><html><body>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</body></html>\n"
    .write(toFile: hugoDir + "/layouts/_default/list.html", atomically: true, encoding: .utf8)
  // Each page: prose, a table and a code block, repeated to the site's average page size.
  // Hugo holds every page in memory: all of them exhaust this machine's 24 GiB, so it renders
  // a sample (a tenth, at most 300 pages) and its time is scaled to the whole count.
  let target = Int(siteBytes) / pages.count
  hugoPages = max(1, min(pages.count / 10, 300))
  let block = "## Span 模型 step\n\nA paragraph of **prompt** text with `code`, a [link](#x) and 检索 context.\n\n| key | value |\n| --- | --- |\n| gen_ai.request.model | gpt-4o |\n| gen_ai.usage.input_tokens | 3790 |\n\n```json\n{\"role\": \"user\", \"content\": \"latency?\"}\n```\n\n"
  let body = String(repeating: block, count: max(1, target / block.utf8.count))
  for i in 0..<hugoPages {
    try "---\ntitle: page \(i)\n---\n\(body)".write(toFile: hugoDir + "/content/p/\(i).md", atomically: false, encoding: .utf8)
  }
  let r = measure([hugo, "--quiet", "-s", hugoDir, "-d", outDir + "/hugo-public"])
  hugoSeconds = r.seconds * Double(pages.count) / Double(hugoPages)
  rows.append(Row(name: "hugo, \(hugoPages) pages of \(target / 1000) kB", bytes: Double(hugoPages * target), result: r, count: spans * hugoPages / pages.count))
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
print(pad("run", 34) + lpad("input MB", 10) + lpad("seconds", 10) + lpad("spans/s", 12) + lpad("MB/s", 9) + lpad("peak MiB", 10) + "  status")
for r in rows {
  let mb = r.bytes / 1_000_000
  print(
    pad(r.name, 34) + lpad(String(format: "%.1f", mb), 10) + lpad(String(format: "%.2f", r.result.seconds), 10)
      + lpad(String(format: "%.0f", Double(r.count) / r.result.seconds), 12) + lpad(String(format: "%.1f", mb / r.result.seconds), 9)
      + lpad(String(format: "%.1f", r.result.peakMiB), 10) + "  " + (r.result.status == 0 ? "ok" : "exit \(r.result.status)"))
}
let floor = rows[0].result.seconds
print(String(format: "\nllmscope JSON ingest vs the sqlite3 floor: %.2fx the time; protobuf: %.2fx", rows[1].result.seconds / floor, rows[2].result.seconds / floor))
print("store sizes: llmscope \(String(format: "%.0f", fileSize(outDir + "/json.db") / 1_000_000)) MB, sqlite3 CSV import \(String(format: "%.0f", fileSize(outDir + "/csv.db") / 1_000_000)) MB")
let build = rows.first { $0.name.hasPrefix("llmscope build") }!.result.seconds
let copy = rows.first { $0.name.hasPrefix("cp -r") }!.result.seconds
print(String(format: "site: %d pages, %.0f MB; llmscope build %.2fx the time of copying its bytes", pages.count, siteBytes / 1_000_000, build / copy)
  + (hugoSeconds.map { String(format: ", %.2fx Hugo's time for as many pages of the same size (%.0f s, scaled from \(hugoPages) pages)", build / $0, $0) } ?? " (hugo not installed: apt-get install hugo)"))
