import CCmarkGFM

#if canImport(Glibc)
import Glibc
#endif

/// GitHub-flavoured Markdown to HTML through cmark-gfm (tables, strikethrough, autolinks,
/// task lists, tag filter). Raw HTML in the source is dropped unless `allowHTML`.
public enum MarkdownRenderer {
  private static let extensions = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]

  /// cmark-gfm's registration is not thread-safe; a static `let` runs it once, safely.
  private static let registered: Void = cmark_gfm_core_extensions_ensure_registered()

  public static func html(_ markdown: String, allowHTML: Bool = false) -> String {
    _ = registered
    let options = CMARK_OPT_DEFAULT | (allowHTML ? CMARK_OPT_UNSAFE : 0)
    guard let parser = cmark_parser_new(options) else { return "" }
    defer { cmark_parser_free(parser) }
    for name in extensions {
      if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
    }
    var text = markdown
    text.withUTF8 { buf in
      buf.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, buf.count) }
    }
    guard let doc = cmark_parser_finish(parser) else { return "" }
    defer { cmark_node_free(doc) }
    guard let out = cmark_render_html(doc, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
    defer { free(out) }
    return String(cString: out)
  }
}
