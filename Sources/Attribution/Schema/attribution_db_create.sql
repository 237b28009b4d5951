-- The attribution database (SQLite). `forecast attribution` creates every missing table from
-- this file; existing tables and their rows are left as they are.
--
-- Dates are UTC text 'YYYY-MM-DD', times UTC text 'HH:MM:SS'; a session or conversion happens
-- at date || ' ' || time. The three engagement flags are 0 or 1.

-- Source tables (filled by the shop's tracking, or by `forecast attribution generate`).
CREATE TABLE IF NOT EXISTS session_sources (
    session_id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL,
    event_date TEXT NOT NULL,
    event_time TEXT NOT NULL,
    channel_name TEXT NOT NULL,
    holder_engagement INTEGER NOT NULL CHECK (holder_engagement IN (0, 1)),
    closer_engagement INTEGER NOT NULL CHECK (closer_engagement IN (0, 1)),
    impression_interaction INTEGER NOT NULL CHECK (impression_interaction IN (0, 1))
);
CREATE INDEX IF NOT EXISTS session_sources_user_time ON session_sources (user_id, event_date, event_time);
CREATE INDEX IF NOT EXISTS session_sources_date ON session_sources (event_date);

CREATE TABLE IF NOT EXISTS conversions (
    conv_id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL,
    conv_date TEXT NOT NULL,
    conv_time TEXT NOT NULL,
    revenue REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS conversions_date ON conversions (conv_date);
CREATE INDEX IF NOT EXISTS conversions_user ON conversions (user_id);

-- Sessions without a row here cost nothing (organic, direct).
CREATE TABLE IF NOT EXISTS session_costs (
    session_id TEXT NOT NULL PRIMARY KEY,
    cost REAL NOT NULL
);

-- Step 1, `journeys`: one row per conversion of the range (also those without any session),
-- and its sessions in time order (position 1 = first touch).
CREATE TABLE IF NOT EXISTS journey_conversions (
    conv_id TEXT NOT NULL PRIMARY KEY,
    sessions INTEGER NOT NULL,
    lookback_days INTEGER
);
CREATE TABLE IF NOT EXISTS journey_sessions (
    conv_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (conv_id, session_id)
);
CREATE INDEX IF NOT EXISTS journey_sessions_session ON journey_sessions (session_id);

-- Step 2, `attribute`: the share of each conversion credited to each of its sessions; the
-- shares of one conversion sum to 1.
CREATE TABLE IF NOT EXISTS attribution_customer_journey (
    conv_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    ihc REAL NOT NULL,
    PRIMARY KEY (conv_id, session_id)
);
CREATE INDEX IF NOT EXISTS attribution_customer_journey_session ON attribution_customer_journey (session_id);

-- Which engine wrote the attribution of a conversion.
CREATE TABLE IF NOT EXISTS attribution_runs (
    conv_id TEXT NOT NULL PRIMARY KEY,
    engine TEXT NOT NULL
);

-- Step 3, `report`: per channel and session date.
CREATE TABLE IF NOT EXISTS channel_reporting (
    channel_name TEXT NOT NULL,
    date TEXT NOT NULL,
    cost REAL NOT NULL,
    ihc REAL NOT NULL,
    ihc_revenue REAL NOT NULL,
    PRIMARY KEY (channel_name, date)
);
