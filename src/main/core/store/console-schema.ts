import type { Migration } from './db';

/** console.db, the console's local state: messages waiting for an ack, dead letters, the audit log, the roster cache, settings, offline decisions, who is inside and the last known gym. */
export const CONSOLE_MIGRATIONS: Migration[] = [
  `
    CREATE TABLE outbox (
      seq      INTEGER PRIMARY KEY,
      key      TEXT    NOT NULL UNIQUE,
      lane     INTEGER NOT NULL,
      op       TEXT    NOT NULL,
      body     TEXT    NOT NULL,
      created  INTEGER NOT NULL,
      expires  INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX outbox_by_lane ON outbox (lane, seq);
    CREATE TABLE dead (
      seq       INTEGER PRIMARY KEY,
      key       TEXT    NOT NULL UNIQUE,
      lane      INTEGER NOT NULL,
      op        TEXT    NOT NULL,
      body      TEXT    NOT NULL,
      created   INTEGER NOT NULL,
      attempts  INTEGER NOT NULL,
      reason    TEXT    NOT NULL,
      failed_at INTEGER NOT NULL
    );
    CREATE TABLE audit (
      id      INTEGER PRIMARY KEY,
      ts      INTEGER NOT NULL,
      actor   TEXT    NOT NULL,
      action  TEXT    NOT NULL,
      subject TEXT    NOT NULL,
      before  TEXT,
      after   TEXT
    );
  `,
  // v2: the roster cache (L2) for lookups and offline decisions, and local settings.
  `
    CREATE TABLE members (
      id TEXT PRIMARY KEY, card_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, phone TEXT NOT NULL,
      status TEXT NOT NULL, expires_on TEXT NOT NULL, synced_at INTEGER NOT NULL
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // v3: check-ins decided on this PC, kept until the backend's verdict arrives, across restarts.
  `
    CREATE TABLE offline_decisions (
      key TEXT PRIMARY KEY, card_id TEXT NOT NULL, allowed INTEGER NOT NULL, reason TEXT NOT NULL, ts INTEGER NOT NULL
    );
  `,
  // v4: alert notices for webhooks, one row per notice and address: pending until a 2xx, then the delivery
  // log; and the audit log by action, since the sign-in check counts wrong PINs every second.
  `
    CREATE TABLE webhook_deliveries (
      id TEXT NOT NULL, url TEXT NOT NULL, body TEXT NOT NULL, kind TEXT NOT NULL, alert TEXT NOT NULL,
      state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER,
      last_status INTEGER, last_error TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL,
      PRIMARY KEY (id, url)
    );
    CREATE INDEX webhook_due ON webhook_deliveries (state, next_at);
    CREATE INDEX audit_by_action ON audit (action, ts);
  `,
  // v5: the outbox without a unique index on its keys. Nothing looks a waiting message up by key, keys
  // are random UUIDs, and keeping that index cost half of every message's write (a random page each).
  `
    CREATE TABLE outbox_v5 (
      seq      INTEGER PRIMARY KEY,
      key      TEXT    NOT NULL,
      lane     INTEGER NOT NULL,
      op       TEXT    NOT NULL,
      body     TEXT    NOT NULL,
      created  INTEGER NOT NULL,
      expires  INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO outbox_v5 SELECT seq, key, lane, op, body, created, expires, attempts FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v5 RENAME TO outbox;
    CREATE INDEX outbox_by_lane ON outbox (lane, seq);
  `,
  // v6: who the live feed showed going in and not yet out (for offline decisions), and the last
  // occupancy and check-ins the backend sent (for a start while it is away); both bounded by their owners.
  `
    CREATE TABLE presence (member_id TEXT PRIMARY KEY, card_id TEXT NOT NULL, since INTEGER NOT NULL);
    CREATE INDEX presence_by_card ON presence (card_id);
    CREATE TABLE last_known (key TEXT PRIMARY KEY, value TEXT NOT NULL, at INTEGER NOT NULL);
  `,
  // v7: a message's day in the outbox is time it waited while this console ran, not wall-clock time (a PC clock
  // set forward buried queued check-ins unsent). `waiting_since` is the waiting clock (outbox_clock) when its day
  // began; rows from before begin theirs now, at the clock's start, so none is given up on for a clock's error.
  `
    CREATE TABLE outbox_v7 (
      seq           INTEGER PRIMARY KEY,
      key           TEXT    NOT NULL,
      lane          INTEGER NOT NULL,
      op            TEXT    NOT NULL,
      body          TEXT    NOT NULL,
      created       INTEGER NOT NULL,
      waiting_since INTEGER NOT NULL,
      attempts      INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO outbox_v7 SELECT seq, key, lane, op, body, created, 0, attempts FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_v7 RENAME TO outbox;
    CREATE INDEX outbox_by_lane ON outbox (lane, seq);
    CREATE TABLE outbox_clock (id INTEGER PRIMARY KEY CHECK (id = 1), waited INTEGER NOT NULL);
    INSERT INTO outbox_clock VALUES (1, 0);
  `,
  // v8: a message's own time to live on the waiting clock (a door release: now or never); null, the outbox's day.
  `ALTER TABLE outbox ADD COLUMN ttl_ms INTEGER;`,
  // v9: when the backend took (acked) a check-in this PC decided (wall ms; null: not yet), so one it never answered is
  // still told after a restart, and one that lapsed unsent is not told as taken (review29 V2).
  `ALTER TABLE offline_decisions ADD COLUMN acked INTEGER;`,
];
