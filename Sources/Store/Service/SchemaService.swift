/// The service's tables, applied in order by the migrator (one entry per user_version
/// step; never edit a shipped entry, append a new one).
///
/// Times are unix seconds as REAL. Raw provider bytes are kept as BLOBs: the journal is
/// the record of what the provider said, unknown fields included.
public enum SchemaService {
    public static let migrations: [Migration] = [Migration(version: 1, sql:
        """
        CREATE TABLE submissions(
          id INTEGER PRIMARY KEY,
          caller TEXT NOT NULL,
          idem_key TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          token_hash BLOB NOT NULL UNIQUE,
          token_nonce BLOB NOT NULL,
          relay_url TEXT,
          request BLOB NOT NULL,
          state TEXT NOT NULL,
          answer_status INTEGER,
          answer BLOB,
          task_id TEXT,
          attempts INTEGER NOT NULL DEFAULT 0,
          created_at REAL NOT NULL,
          updated_at REAL NOT NULL,
          UNIQUE(caller, idem_key)
        );
        CREATE INDEX submissions_unresolved ON submissions(state) WHERE state IN ('submitting','ambiguous');
        CREATE TABLE tasks(
          id TEXT PRIMARY KEY,
          submission_id INTEGER NOT NULL REFERENCES submissions(id),
          caller TEXT NOT NULL,
          status TEXT NOT NULL,
          progress INTEGER NOT NULL DEFAULT 0,
          results TEXT NOT NULL DEFAULT '',
          error_code TEXT,
          error_message TEXT,
          created INTEGER NOT NULL,
          estimated_time INTEGER,
          size TEXT,
          last_body BLOB,
          next_poll_at REAL,
          polls INTEGER NOT NULL DEFAULT 0,
          submitted_at REAL NOT NULL,
          updated_at REAL NOT NULL
        );
        CREATE INDEX tasks_poll ON tasks(next_poll_at) WHERE next_poll_at IS NOT NULL;
        CREATE INDEX tasks_status ON tasks(status, id);
        CREATE INDEX tasks_caller ON tasks(caller, id);
        CREATE TABLE journal(
          id INTEGER PRIMARY KEY,
          task_id TEXT NOT NULL,
          source TEXT NOT NULL,
          outcome TEXT NOT NULL,
          body BLOB NOT NULL,
          received_at REAL NOT NULL
        );
        CREATE INDEX journal_outcome ON journal(source, outcome);
        CREATE INDEX journal_task ON journal(task_id);
        CREATE TABLE download_jobs(
          task_id TEXT NOT NULL,
          idx INTEGER NOT NULL,
          url TEXT NOT NULL,
          state TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at REAL NOT NULL,
          reason TEXT,
          sha256 TEXT,
          ext TEXT,
          bytes INTEGER,
          path TEXT,
          updated_at REAL NOT NULL,
          PRIMARY KEY(task_id, idx)
        );
        CREATE INDEX jobs_due ON download_jobs(state, next_attempt_at);
        CREATE TABLE relay_deliveries(
          task_id TEXT PRIMARY KEY,
          url TEXT NOT NULL,
          webhook_id TEXT NOT NULL,
          state TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at REAL NOT NULL,
          first_attempt_at REAL,
          last_status INTEGER,
          last_error TEXT,
          updated_at REAL NOT NULL
        );
        CREATE INDEX relay_due ON relay_deliveries(state, next_attempt_at);
        """),
        Migration(version: 2, sql: SchemaCounters.migrationSQL),
    ]
}
