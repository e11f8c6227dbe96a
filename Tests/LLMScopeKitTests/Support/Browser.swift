import Foundation
import Synchronization

/// Headless Chromium, for what only a browser shows.
enum Browser {
  static let path = "/usr/bin/chromium"
  static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

  /// Runs Chromium on `url` with `arguments`; returns what it printed (standard output, error).
  static func run(_ url: String, _ arguments: [String]) throws -> (out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0"] + arguments + [url]
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Read both pipes at once so neither fills up and blocks the browser.
    let errData = Mutex(Data())
    let reader = Thread { errData.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() } }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while reader.isExecuting || !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
    return (String(decoding: outData, as: UTF8.self), String(decoding: errData.withLock { $0 }, as: UTF8.self))
  }

  /// The page's DOM after its scripts ran.
  static func dom(_ url: String) throws -> String { try run(url, ["--dump-dom"]).out }

  /// What the page's scripts and the browser wrote to the console (errors, refused requests).
  static func console(_ err: String) -> [String] {
    err.split(separator: "\n").filter { $0.contains(":CONSOLE") || $0.contains("Refused to") }.map(String.init)
  }
}
