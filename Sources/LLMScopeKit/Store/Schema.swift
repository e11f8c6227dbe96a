/// The store's versioned SQLite schema. `PRAGMA user_version` holds the version;
/// `PRAGMA application_id` marks the file as an llmscope store.
enum Schema {
  /// "LLMS" in ASCII.
  static let applicationID: Int64 = 0x4C4C_4D53
  static let version: Int64 = 2

  /// Statements that make a new store at `version`. Small, often read columns come first and
  /// the large JSON columns last, so scans never touch overflow pages.
  static let create: [String] = [
    """
    CREATE TABLE resources(
      id INTEGER PRIMARY KEY,
      attributes TEXT NOT NULL,
      dropped_attributes_count INTEGER NOT NULL,
      schema_url TEXT NOT NULL,
      UNIQUE(attributes, dropped_attributes_count, schema_url))
    """,
    """
    CREATE TABLE scopes(
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      version TEXT NOT NULL,
      attributes TEXT NOT NULL,
      dropped_attributes_count INTEGER NOT NULL,
      schema_url TEXT NOT NULL,
      UNIQUE(name, version, attributes, dropped_attributes_count, schema_url))
    """,
    """
    CREATE TABLE spans(
      trace_id TEXT NOT NULL,
      span_id TEXT NOT NULL,
      parent_span_id TEXT NOT NULL,
      name TEXT NOT NULL,
      span_kind INTEGER NOT NULL,
      start_ns INTEGER NOT NULL,
      end_ns INTEGER NOT NULL,
      status_code INTEGER NOT NULL,
      resource_id INTEGER NOT NULL REFERENCES resources(id),
      scope_id INTEGER NOT NULL REFERENCES scopes(id),
      app TEXT NOT NULL,
      instance TEXT,
      business_system TEXT,
      op_kind TEXT NOT NULL,
      provider TEXT,
      request_model TEXT,
      response_model TEXT,
      input_tokens INTEGER,
      output_tokens INTEGER,
      total_tokens INTEGER,
      cache_read_tokens INTEGER,
      cache_write_tokens INTEGER,
      reasoning_tokens INTEGER,
      cost_usd REAL,
      ttft_ns INTEGER,
      usage_source TEXT,
      ttft_source TEXT,
      streaming INTEGER,
      finish_reasons TEXT,
      is_error INTEGER NOT NULL,
      error_type TEXT,
      marked_entry INTEGER NOT NULL,
      is_entry INTEGER NOT NULL DEFAULT 0,
      duplicate_of TEXT,
      session_id TEXT,
      user_id TEXT,
      agent_name TEXT,
      tool_name TEXT,
      flags INTEGER NOT NULL,
      trace_state TEXT NOT NULL,
      error_message TEXT,
      status_message TEXT NOT NULL,
      dropped_attributes_count INTEGER NOT NULL,
      dropped_events_count INTEGER NOT NULL,
      dropped_links_count INTEGER NOT NULL,
      events TEXT NOT NULL,
      links TEXT NOT NULL,
      attributes TEXT NOT NULL)
    """,
    "CREATE UNIQUE INDEX spans_id ON spans(trace_id, span_id)",
    "CREATE INDEX spans_start ON spans(start_ns)",
    "CREATE INDEX spans_app_start ON spans(app, start_ns)",
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "INSERT INTO meta(key, value) VALUES ('format', 'llmscope span store')",
  ]

  /// Statements that take an existing store from version `index + 1` to `index + 2`.
  static let upgrades: [[String]] = [
    // 1 → 2: which convention gave a span's output tokens and TTFT. Spans stored before
    // have none; their figures say "source not recorded".
    ["ALTER TABLE spans ADD COLUMN usage_source TEXT", "ALTER TABLE spans ADD COLUMN ttft_source TEXT"],
  ]
}
