import Foundation
import Testing

@testable import LLMScopeKit

@Suite struct TemplateParserTests {
  @Test("directives are parsed with names, arguments and positions; \\{{ is a literal")
  func parsesDirectives() throws {
    let source = "---\ntitle: \"Nightly\"\nkind: page\n---\n# Head\n\nText \\{{ not a directive }} and {{ figure llm_calls label=yes }}.\n\n{{ table  apps   columns=name,spans title=\"a b\" }}\n"
    let t = try TemplateParser.parse(source, file: "n.md")
    #expect(t.frontMatter == ["title": "Nightly", "kind": "page"])
    #expect(t.pieces.count == 5)
    guard case .markdown(let text) = t.pieces[0], case .directive(let fig) = t.pieces[1], case .directive(let table) = t.pieces[3] else {
      Issue.record("unexpected pieces \(t.pieces)")
      return
    }
    #expect(text.contains("Text {{ not a directive }} and "))
    #expect(fig.name == "figure" && fig.position == SourcePosition(file: "n.md", line: 7, column: 33))
    #expect(fig.arguments.map(\.key) == ["", "label"] && fig.arguments.map(\.value) == ["llm_calls", "yes"])
    #expect(fig.text == "{{ figure llm_calls label=yes }}")
    #expect(table.position.line == 9 && table.argument("title")?.value == "a b" && table.argument("columns")?.position.column == 18)
  }

  @Test("malformed templates are errors at their position", arguments: [
    ("x {{ figure llm_calls\n}}", 1, 3, "not closed"),
    ("---\ntitle: x\n", 1, 1, "front matter is not closed"), ("---\njunk\n---\n", 2, 1, "key: value"),
    ("{{ =x }}", 1, 1, "starts with its name"), ("{{ figure a=\"open }}", 1, 11, "unterminated"),
  ])
  func parseErrors(_ source: String, _ line: Int, _ column: Int, _ message: String) {
    do {
      _ = try TemplateParser.parse(source, file: "t.md")
      Issue.record("no error")
    } catch {
      #expect(error.position == SourcePosition(file: "t.md", line: line, column: column), "\(error)")
      #expect(error.message.contains(message), "\(error)")
    }
  }
}

@Suite struct TemplateRenderingTests {
  /// A small store: two apps, one with a hostile name and prompt.
  static func store(in folder: TemporaryFolder) throws -> SQLiteSpanStore {
    let chat = OTLPJSON.span(
      id: "0000000000000002", parent: "0000000000000001", name: "chat gpt-4o", durationMs: 80,
      attributes: [
        OTLPJSON.attr("gen_ai.operation.name", OTLPJSON.str("chat")), OTLPJSON.attr("gen_ai.request.model", OTLPJSON.str("gpt-4o")),
        OTLPJSON.attr("gen_ai.usage.input_tokens", OTLPJSON.int(1200)), OTLPJSON.attr("gen_ai.usage.output_tokens", OTLPJSON.int(34)),
        OTLPJSON.attr("gen_ai.input.messages", OTLPJSON.str(#"[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"<script>alert(1)</script>\"}]}]"#)),
      ])
    let entry = OTLPJSON.span(id: "0000000000000001", name: "POST /chat", durationMs: 100, attributes: [OTLPJSON.attr("gen_ai.is_entry", "{\"boolValue\":true}")])
    let evil = OTLPJSON.request(
      spans: [entry, chat],
      resource: [OTLPJSON.attr("service.name", OTLPJSON.str("<script>alert('x')</script>")), OTLPJSON.attr("token", OTLPJSON.str("secret-token"))])
    let good = OTLPJSON.request(
      spans: [OTLPJSON.span(trace: "22222222222222222222222222222222", id: "0000000000000003", name: "chat qwen-plus", durationMs: 40, attributes: [
        OTLPJSON.attr("gen_ai.operation.name", OTLPJSON.str("chat")), OTLPJSON.attr("gen_ai.request.model", OTLPJSON.str("qwen-plus")),
      ])],
      resource: [OTLPJSON.attr("service.name", OTLPJSON.str("shop-bot")), OTLPJSON.attr("host.name", OTLPJSON.str("h1"))])
    let (store, report) = try ingestedStore([folder.write("in.jsonl", evil + "\n" + good + "\n")], in: folder)
    #expect(report.stored == 3)
    return store
  }

  private func context(_ store: SQLiteSpanStore, app: String? = nil) throws -> RenderContext {
    RenderContext(
      summary: try store.summary(), scope: PageScope(app: app), pages: [("index.html", "Home")],
      appPage: { SiteBuilder.appFile($0) })
  }

  private func render(_ source: String, _ store: SQLiteSpanStore, app: String? = nil) throws -> String {
    try TemplateRenderer().render(try TemplateParser.parse(source, file: "t.md"), context: try context(store, app: app)).markup
  }

  @Test("a page renders to the golden HTML")
  func golden() throws {
    let folder = TemporaryFolder()
    let store = try Self.store(in: folder)
    let source = """
      # Report

      LLM calls: {{ figure llm_calls }}, P95 {{ figure llm_latency_p95 label=yes }}.

      {{ figures names=llm_calls,model_calls,total_tokens,ttft_avg }}

      {{ table apps columns=name,spans,model_calls,input_tokens sort=spans order=desc }}

      | literal | \\{{ x }} |
      |---|---|
      | ~~old~~ | {{ figure spans }} |

      {{ links pages }}
      """
    expectGolden(try render(source, store), "report-body.html")
  }

  @Test("user data is escaped: an app called <script> shows as text")
  func escaping() throws {
    let folder = TemporaryFolder()
    let store = try Self.store(in: folder)
    let html = try render("{{ table apps }}\n\n{{ links apps }}", store)
    #expect(!html.contains("<script>"))
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    #expect(!html.contains("secret-token"))
    #expect(htmlProblems("<!DOCTYPE html><div>" + html + "</div>").isEmpty)
  }

  @Test("raw HTML in templates is dropped unless allowed")
  func rawHTML() throws {
    let folder = TemporaryFolder()
    let store = try Self.store(in: folder)
    let parsed = try TemplateParser.parse("<div class=x>hi</div>\n", file: "t.md")
    #expect(!(try TemplateRenderer().render(parsed, context: try context(store)).markup.contains("<div class=x>")))
    #expect(try TemplateRenderer(allowHTML: true).render(parsed, context: try context(store)).markup.contains("<div class=x>"))
  }

  @Test("bad directives are errors naming the position, the text and the valid names", arguments: [
    ("ok\n\n  {{ chartz latency }}", 3, 3, "unknown directive `chartz`", "figure"),
    ("{{ figure llm_callz }}", 1, 11, "unknown figure `llm_callz`", "llm_calls"),
    ("{{ table apps columns=name,nope }}", 1, 15, "unknown columns `nope`", "model_calls"),
    ("{{ table apps colour=red }}", 1, 15, "has no argument `colour`", "columns"),
    ("{{ table }}", 1, 1, "needs its main argument", "apps"),
    ("{{ figure spans app=ghost }}", 1, 17, "no app `ghost`", "shop-bot"),
  ])
  func directiveErrors(_ source: String, _ line: Int, _ column: Int, _ message: String, _ valid: String) throws {
    let folder = TemporaryFolder()
    let store = try Self.store(in: folder)
    do {
      _ = try render(source, store)
      Issue.record("no error")
    } catch let e as TemplateError {
      #expect(e.position == SourcePosition(file: "t.md", line: line, column: column), "\(e)")
      #expect(e.message.contains(message), "\(e)")
      #expect(e.validNames.contains(valid), "\(e)")
      #expect(e.description.hasPrefix("t.md:\(line):\(column): "))
    }
  }

  @Test("a page scoped to an app shows that app's figures")
  func scoped() throws {
    let folder = TemporaryFolder()
    let store = try Self.store(in: folder)
    #expect(try render("{{ figure model_calls }}", store, app: "shop-bot").contains(">1<"))
    #expect(try render("{{ figure input_tokens }}", store).contains(">1,200<"))
    #expect(try render("{{ figure input_tokens }}", store, app: "shop-bot").contains(">0<"))
  }
}

@Suite struct SiteBuildTests {
  private func build(_ store: String, out: String, templates: String? = nil, extra: [String] = []) -> CapturedRun {
    var args = ["build", "--store", store, "--out", out, "--now", "2026-12-03T12:00:00Z", "--title", "Nightly <LLM>"] + extra
    if let templates { args += ["--templates", templates] }
    return CapturedRun(args)
  }

  private func corpusStore(_ folder: TemporaryFolder) throws -> String {
    _ = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl"), Fixtures.corpus("openinference-langchain-plus-openai.jsonl")], in: folder)
    return folder.file("store.db")
  }

  @Test("every page is well-formed HTML5 with no external URL; CSS too")
  func wellFormed() throws {
    let folder = TemporaryFolder()
    let out = folder.file("site")
    let r = build(try corpusStore(folder), out: out)
    #expect(r.status == 0, "\(r.err)")
    let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    #expect(files.contains("index.html") && files.contains("models.html") && files.contains("app-v2-chat-app.html") && files.contains("style.css"))
    for f in files where f.hasSuffix(".html") || f.hasSuffix(".css") {
      let text = try String(contentsOfFile: out + "/" + f, encoding: .utf8)
      #expect(externalURLs(text).isEmpty, "\(f): \(externalURLs(text))")
      if f.hasSuffix(".html") {
        #expect(htmlProblems(text).isEmpty, "\(f): \(htmlProblems(text))")
        #expect(text.contains("<title>") && text.contains("Nightly &lt;LLM&gt;"))
        #expect(!text.contains("demo-token"))
      }
    }
  }

  @Test("a page per model and per business system, each showing only its own figures")
  func modelAndSystemPages() throws {
    let folder = TemporaryFolder()
    let store = try corpusStore(folder)
    let out = folder.file("site")
    #expect(build(store, out: out).status == 0)
    let summary = try SQLiteSpanStore(path: store, create: false, readOnly: true).summary()
    for model in summary.models {
      let page = try String(contentsOfFile: out + "/" + SiteBuilder.pageFile("model", model.name), encoding: .utf8)
      let n = model.figures.modelCalls
      let card = "<div class=\"card-label\">Model calls</div><div class=\"card-value\" data-figure=\"model_calls\" data-scope=\"model:\(model.name)\" data-value=\"\(n)\">\(n)</div>"
      #expect(page.contains(card), "\(model.name)")
      #expect(page.contains("<h1>Model: \(model.name)</h1>"))
    }
    for system in summary.businessSystems {
      let fp = try #require(system.fingerprint)
      let page = try String(contentsOfFile: out + "/" + SiteBuilder.pageFile("system", fp), encoding: .utf8)
      for app in summary.apps { #expect(page.contains(">\(app.name)</a></th>") == system.apps.contains(app.name), "\(fp) \(app.name)") }
    }
    let models = try String(contentsOfFile: out + "/models.html", encoding: .utf8)
    #expect(models.contains("<a href=\"model-qwen-plus.html\">qwen-plus</a>"))
  }

  @Test("the application list: business system, tags without secrets, trend, last seen, filter and sorting")
  func applicationList() throws {
    let folder = TemporaryFolder()
    let store = try corpusStore(folder)
    let out = folder.file("site")
    #expect(build(store, out: out).status == 0)
    let index = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
    #expect(index.contains("<input type=\"search\" class=\"table-filter\"") && index.contains("data-sortable") && index.contains("<script>"))
    #expect(!(try String(contentsOfFile: out + "/models.html", encoding: .utf8)).contains("<script>"))
    #expect(index.contains("<span class=\"tag\">service.version=1.4.2</span>") && index.contains("deployment.environment.name=demo"))
    #expect(!index.contains("token=") && !index.contains("telemetry.sdk") && !index.contains("demo-token"))
    // Without the script the rows are in name order.
    let names = try NSRegularExpression(pattern: #"data-search="([^ "]+)"#).matches(in: index, range: NSRange(index.startIndex..., in: index))
      .map { String(index[Range($0.range(at: 1), in: index)!]) }
    #expect(names == names.sorted() && names.count == 6)
    let summary = try SQLiteSpanStore(path: store, create: false, readOnly: true).summary()
    for app in summary.apps {
      // The sparkline's values add up to the app's LLM calls.
      let re = try NSRegularExpression(pattern: "LLM calls of \(NSRegularExpression.escapedPattern(for: app.name)) over time: ([0-9, ]+)</title>")
      let m = try #require(re.firstMatch(in: index, range: NSRange(index.startIndex..., in: index)))
      let values = index[Range(m.range(at: 1), in: index)!].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
      #expect(values.reduce(0, +) == app.figures.llmCalls, "\(app.name)")
    }
    let raw = try UsageAndComparisonTests.rawSpans("otel-openai-v2").filter { $0.app == "v2-chat-app" }
    #expect(index.contains(Timestamp.display(raw.map(\.end).max()!)))
  }

  @Test("two builds of the same store with the same --now are byte-identical")
  func deterministic() throws {
    let folder = TemporaryFolder()
    let store = try corpusStore(folder)
    #expect(build(store, out: folder.file("a")).status == 0)
    #expect(build(store, out: folder.file("b")).status == 0)
    let fm = FileManager.default
    let names = try fm.contentsOfDirectory(atPath: folder.file("a")).sorted()
    #expect(names == (try fm.contentsOfDirectory(atPath: folder.file("b")).sorted()))
    for n in names { #expect(fm.contents(atPath: folder.file("a/" + n)) == fm.contents(atPath: folder.file("b/" + n)), "\(n)") }
  }

  @Test("user templates override defaults and add pages; a failed build leaves the previous site untouched")
  func userTemplatesAndFailedBuild() throws {
    let folder = TemporaryFolder()
    let store = try corpusStore(folder)
    let out = folder.file("site")
    try FileManager.default.createDirectory(atPath: folder.file("tpl"), withIntermediateDirectories: true)
    folder.write("tpl/nightly.md", "---\ntitle: Nightly\nfrom: 2026-12-01\n---\n{{ figures }}\n")
    folder.write("tpl/models.md", "---\ntitle: Our models\n---\n{{ table models columns=name,model_calls }}\n")
    folder.write("tpl/incident.md", "---\ntitle: Incident\napp: v2-failing-app\n---\n{{ table models columns=name,model_calls }}\n{{ table apps }}\n")
    let ok = build(store, out: out, templates: folder.file("tpl"))
    #expect(ok.status == 0, "\(ok.err)")
    let nightly = try String(contentsOfFile: out + "/nightly.html", encoding: .utf8)
    #expect(nightly.contains("<h1>Nightly</h1>") && nightly.contains("href=\"nightly.html\""))
    #expect(try String(contentsOfFile: out + "/models.html", encoding: .utf8).contains("<h1>Our models</h1>"))
    // A page scoped to an app sees only that app's spans.
    let incident = try String(contentsOfFile: out + "/incident.html", encoding: .utf8)
    #expect(incident.contains("gpt-5-nonexistent") && !incident.contains("text-embedding-v3") && !incident.contains(">v2-chat-app<"))
    let before = try FileManager.default.contentsOfDirectory(atPath: out).sorted().map { FileManager.default.contents(atPath: out + "/" + $0) }

    folder.write("tpl/broken.md", "# Broken\n\n{{ figure no_such_figure }}\n")
    let bad = build(store, out: out, templates: folder.file("tpl"))
    #expect(bad.status == 1)
    #expect(bad.err.contains("tpl/broken.md:3:11: unknown figure `no_such_figure`"), "\(bad.err)")
    #expect(bad.err.contains("valid: spans, traces"))
    let after = try FileManager.default.contentsOfDirectory(atPath: out).sorted().map { FileManager.default.contents(atPath: out + "/" + $0) }
    #expect(before == after)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.contains(".tmp-") })
  }

  @Test("--out that is a folder llmscope did not make is refused unless --force; nothing beside it is touched")
  func refusesForeignFolder() throws {
    let folder = TemporaryFolder()
    let store = try corpusStore(folder)
    try FileManager.default.createDirectory(atPath: folder.file("docs"), withIntermediateDirectories: true)
    folder.write("docs/thesis.tex", "precious")
    folder.write("beside.txt", "kept")
    let r = build(store, out: folder.file("docs"))
    #expect(r.status == 1 && r.err.contains("did not make") && r.err.contains("--force"))
    #expect(FileManager.default.contents(atPath: folder.file("docs/thesis.tex")) == Data("precious".utf8))
    #expect(build(store, out: folder.file("docs"), extra: ["--force"]).status == 0)
    #expect(FileManager.default.fileExists(atPath: folder.file("docs/index.html")) && !FileManager.default.fileExists(atPath: folder.file("docs/thesis.tex")))
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(left.contains("beside.txt") && !left.contains { $0.hasPrefix(".docs.") }, "\(left)")
    #expect(FileManager.default.contents(atPath: folder.file("beside.txt")) == Data("kept".utf8))
  }

  @Test("every page carries a Content-Security-Policy allowing only its own files and inline code by hash")
  func contentSecurityPolicy() throws {
    let folder = TemporaryFolder()
    let out = folder.file("site")
    #expect(build(try corpusStore(folder), out: out).status == 0)
    for f in try FileManager.default.contentsOfDirectory(atPath: out) where f.hasSuffix(".html") {
      let html = try String(contentsOfFile: out + "/" + f, encoding: .utf8)
      let meta = try #require(html.range(of: "<meta http-equiv=\"Content-Security-Policy\" content=\""), "\(f)")
      let policy = HTMLEntities.decode(String(html[meta.upperBound...].prefix { $0 != "\"" }))
      #expect(policy.hasPrefix("default-src 'none';") && !policy.contains("unsafe") && !policy.contains("http"), "\(f): \(policy)")
      // Each inline script is allowed by exactly its hash.
      var rest = Substring(html)
      while let open = rest.range(of: "<script>") {
        let close = try #require(rest[open.upperBound...].range(of: "</script>"))
        let hash = Hex.base64Encode(SHA256.digest(Array(rest[open.upperBound..<close.lowerBound].utf8)))
        #expect(policy.contains("'sha256-\(hash)'"), "\(f)")
        rest = rest[close.upperBound...]
      }
    }
  }
}
