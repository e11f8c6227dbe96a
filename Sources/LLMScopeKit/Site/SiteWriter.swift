import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Writes a site into a fresh folder beside `--out` as its pages are rendered, then swaps it in
/// whole: the previous site stays untouched until the new one is complete, and a failed build
/// leaves nothing behind. Safe to call `write` from several threads at once.
final class SiteWriter: Sendable {
  /// The name of the marker file that says a folder is a site llmscope made.
  static let marker = ".llmscope-site"

  let out: String
  private let tmp: String
  private let old: String
  private let names = Mutex<[String]>([])
  /// File name → (SHA-256 in hex, bytes), when the writer records digests (incident bundles).
  private let digests = Mutex<[String: (sha256: String, bytes: Int)]>([:])
  private let recordsDigests: Bool

  /// Checks `out` (a non-empty folder llmscope did not make is refused unless `force`) and
  /// creates the temporary folder beside it.
  init(out path: String, force: Bool = false, recordDigests: Bool = false) throws {
    recordsDigests = recordDigests
    out = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
    let parent = out.contains("/") ? String(out[..<out.lastIndex(of: "/")!]) : "."
    let folder = parent.isEmpty ? "/" : parent
    let base = String(out.split(separator: "/").last ?? "site")
    tmp = "\(folder)/.\(base).tmp-\(getpid())"
    old = "\(folder)/.\(base).old-\(getpid())"
    var st = stat()
    if stat(out, &st) == 0 {
      guard (st.st_mode & S_IFMT) == S_IFDIR else { throw SiteError(message: "--out \(out) is a file", hint: "choose a folder") }
      if !force && !Self.isEmptyFolder(out) && access("\(out)/\(Self.marker)", F_OK) != 0 {
        throw SiteError(message: "--out \(out) is a folder llmscope did not make", hint: "choose an empty or new folder, or pass --force to replace it whole")
      }
    }
    try Self.removeTree(tmp)
    Self.removeAbandoned(in: folder, of: base)
    guard mkdir(tmp, 0o755) == 0 else { throw SiteError(message: "cannot create \(tmp): \(String(cString: strerror(errno)))", hint: nil) }
  }

  /// Writes one file of the site; `name` is a plain file name that llmscope made.
  func write(_ name: String, _ text: String) throws {
    try Self.writeFile("\(tmp)/\(name)", text)
    names.withLock { $0.append(name) }
    if recordsDigests {
      let entry = (SHA256.hex(text.utf8), text.utf8.count)
      digests.withLock { $0[name] = entry }
    }
  }

  /// The SHA-256 and size of every file written so far, by name; empty unless the writer
  /// records digests.
  var writtenDigests: [String: (sha256: String, bytes: Int)] { digests.withLock { $0 } }

  /// Swaps the new site in; returns the files written, sorted, the marker left out.
  func commit() throws -> [String] {
    try write(Self.marker, "This folder was written by llmscope build; it replaces it whole on the next build.\n")
    var st = stat()
    if stat(out, &st) == 0 {
      guard rename(out, old) == 0 else { throw SiteError(message: "cannot move the previous site aside: \(String(cString: strerror(errno)))", hint: nil) }
    }
    guard rename(tmp, out) == 0 else {
      _ = rename(old, out)
      throw SiteError(message: "cannot move the new site into place: \(String(cString: strerror(errno)))", hint: nil)
    }
    try Self.removeTree(old)
    return names.withLock { $0 }.filter { $0 != Self.marker }.sorted()
  }

  /// Removes the unfinished site.
  func abandon() { try? Self.removeTree(tmp) }

  /// Removes the temporary and previous-site folders (`.<base>.tmp-<pid>`, `.<base>.old-<pid>`)
  /// that a build killed before it finished left in `folder`: those whose process is gone.
  private static func removeAbandoned(in folder: String, of base: String) {
    for name in Directory.entries(folder) ?? [] {
      for kind in [".tmp-", ".old-"] where name.hasPrefix(".\(base)\(kind)") {
        guard let pid = Int32(name.dropFirst(base.count + 1 + kind.count)), pid != getpid() else { continue }
        if kill(pid, 0) != 0 && errno == ESRCH { try? removeTree("\(folder)/\(name)") }
      }
    }
  }

  static func writeFile(_ path: String, _ text: String) throws {
    guard let f = fopen(path, "wb") else { throw SiteError(message: "cannot write \(path): \(String(cString: strerror(errno)))", hint: nil) }
    var copy = text
    let ok = copy.withUTF8 { $0.isEmpty || fwrite($0.baseAddress, 1, $0.count, f) == $0.count }
    if fclose(f) != 0 || !ok { throw SiteError(message: "cannot write \(path): \(String(cString: strerror(errno)))", hint: nil) }
  }

  static func isEmptyFolder(_ path: String) -> Bool { Directory.entries(path)?.isEmpty ?? false }

  /// Removes a folder llmscope made (its own temporary or previous site folders only).
  static func removeTree(_ path: String) throws {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
      for n in Directory.entries(path) ?? [] { try removeTree(path + "/" + n) }
      guard rmdir(path) == 0 else { throw SiteError(message: "cannot remove \(path): \(String(cString: strerror(errno)))", hint: nil) }
    } else {
      guard unlink(path) == 0 else { throw SiteError(message: "cannot remove \(path): \(String(cString: strerror(errno)))", hint: nil) }
    }
  }
}
