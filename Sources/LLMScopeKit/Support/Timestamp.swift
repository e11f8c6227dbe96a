/// RFC 3339 timestamps as nanoseconds since the Unix epoch, parsed and printed without
/// Foundation's locale- and timezone-dependent formatters.
public enum Timestamp {
  /// Parses `2026-01-02T03:04:05.123456789Z` or `…+08:00` (also a space instead of `T`,
  /// and a bare date `2026-01-02`, taken as midnight UTC). Surrounding JSON quotes are ignored.
  public static func parse(_ text: String) -> Int64? {
    var s = Array(text.utf8)
    while let f = s.first, f == UInt8(ascii: "\"") || f == 0x20 { s.removeFirst() }
    while let l = s.last, l == UInt8(ascii: "\"") || l == 0x20 { s.removeLast() }
    var i = 0
    func digits(_ n: Int) -> Int? {
      guard i + n <= s.count else { return nil }
      var v = 0
      for k in 0..<n {
        let c = s[i + k]
        guard c >= 0x30 && c <= 0x39 else { return nil }
        v = v * 10 + Int(c - 0x30)
      }
      i += n
      return v
    }
    func expect(_ c: UInt8) -> Bool {
      guard i < s.count, s[i] == c else { return false }
      i += 1
      return true
    }
    guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
      let day = digits(2), (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    var hour = 0, minute = 0, second = 0
    var nanos: Int64 = 0
    var offsetSeconds = 0
    if i < s.count {
      guard s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") || s[i] == 0x20 else { return nil }
      i += 1
      guard let h = digits(2), expect(UInt8(ascii: ":")), let m = digits(2), expect(UInt8(ascii: ":")), let sec = digits(2),
        h < 24, m < 60, sec <= 60
      else { return nil }
      hour = h
      minute = m
      second = sec
      if i < s.count && (s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",")) {
        i += 1
        var scale: Int64 = 100_000_000
        var any = false
        while i < s.count, s[i] >= 0x30, s[i] <= 0x39 {
          nanos += Int64(s[i] - 0x30) * scale
          scale /= 10
          i += 1
          any = true
        }
        guard any else { return nil }
      }
      if i < s.count {
        switch s[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"): i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
          let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
          i += 1
          guard let oh = digits(2) else { return nil }
          _ = expect(UInt8(ascii: ":"))
          guard let om = digits(2) else { return nil }
          offsetSeconds = sign * (oh * 3600 + om * 60)
        default: return nil
        }
      }
      guard i == s.count else { return nil }
    }
    let days = daysFromCivil(year, month, day)
    let secs = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
    return secs * 1_000_000_000 + nanos
  }

  /// `2026-01-02T03:04:05.123Z`: UTC, with as many fraction digits as `fractionDigits` (0–9).
  public static func format(_ nanos: Int64, fractionDigits: Int = 3) -> String {
    let secs = nanos >= 0 ? nanos / 1_000_000_000 : (nanos - 999_999_999) / 1_000_000_000
    let frac = nanos - secs * 1_000_000_000
    let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
    let rem = Int(secs - days * 86400)
    let (y, m, d) = civilFromDays(Int(days))
    func pad(_ v: Int, _ n: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, n - s.count)) + s
    }
    var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))"
    if fractionDigits > 0 {
      let f = pad(Int(frac), 9)
      out += "." + f.prefix(min(9, fractionDigits))
    }
    return out + "Z"
  }

  /// `2026-12-03 19:04 UTC`, for people.
  /// `2026-11-29 14:09:31`: a UTC time to the second, for table cells.
  public static func displaySeconds(_ nanos: Int64) -> String {
    let iso = format(nanos, fractionDigits: 0)
    return iso.prefix(10) + " " + iso.dropFirst(11).prefix(8)
  }

  public static func display(_ nanos: Int64) -> String {
    let iso = format(nanos, fractionDigits: 0)
    return iso.prefix(10) + " " + iso.dropFirst(11).prefix(5) + " UTC"
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  /// `a / b` rounded toward negative infinity (`b` > 0): the hour or day a time falls in.
  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a + 1) / b - 1 }

  static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
  }

  /// Parses an RFC 3339 time or a time relative to `now`: `now`, `-24h`, `-7d`, `-30m`,
  /// `-90s`, `-2w` (also with `+`).
  public static func parse(_ text: String, relativeTo now: Int64) -> Int64? {
    let t = text.trimmingCharacters(in: " ")
    if t == "now" { return now }
    if let first = t.first, first == "-" || first == "+", t.count >= 3, let unit = t.last,
      let amount = Int64(t.dropFirst().dropLast())
    {
      let unitNanos: Int64
      switch unit {
      case "s": unitNanos = 1_000_000_000
      case "m": unitNanos = 60_000_000_000
      case "h": unitNanos = 3_600_000_000_000
      case "d": unitNanos = 86_400_000_000_000
      case "w": unitNanos = 604_800_000_000_000
      default: return nil
      }
      let (delta, overflow) = amount.multipliedReportingOverflow(by: unitNanos)
      guard !overflow else { return nil }
      return first == "-" ? now - delta : now + delta
    }
    return parse(t)
  }
}

extension String {
  func trimmingCharacters(in set: Character) -> String {
    var s = Substring(self)
    while s.first == set { s.removeFirst() }
    while s.last == set { s.removeLast() }
    return String(s)
  }
}
