-- Orleans ADO.NET providers (storage, clustering, reminders) on PostgreSQL.
-- Written against the Orleans ADO.NET providers' query contract: Orleans only ever runs the texts stored in
-- OrleansQuery, so the tables below are ours to shape. Every conditional write is a single statement, because Orleans
-- runs each query in autocommit with no transaction of its own.

CREATE TABLE OrleansQuery (
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text NOT NULL
);

-- Grain state. The natural key is (service, state name, n0, n1, extension); the hashes only narrow the index.
CREATE TABLE orleans_storage (
    service_id      text        NOT NULL,
    grain_type      text        NOT NULL,
    grain_n0        bigint      NOT NULL,
    grain_n1        bigint      NOT NULL,
    grain_ext       text,
    grain_id_hash   integer     NOT NULL,
    grain_type_hash integer     NOT NULL,
    payload         bytea,
    version         integer     NOT NULL,
    modified_at     timestamptz NOT NULL DEFAULT now(),
    -- Two first writes racing (split brain) must not both succeed: one row per natural key, NULL extension included.
    CONSTRAINT orleans_storage_natural_key UNIQUE NULLS NOT DISTINCT (service_id, grain_type, grain_n0, grain_n1, grain_ext)
);
CREATE INDEX orleans_storage_hashes ON orleans_storage (grain_id_hash, grain_type_hash);

-- Cluster membership: one version row per cluster, one row per silo incarnation.
CREATE TABLE orleans_membership_version (
    deployment_id text        PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orleans_membership (
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id),
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

CREATE TABLE orleans_reminders (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    -- bigint: a period in milliseconds may exceed int (Orleans then sends a bigint).
    period        bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);
CREATE INDEX orleans_reminders_ring ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- ---------------------------------------------------------------- persistence
('ReadFromStorageKey', $q$
SELECT s.payload AS PayloadBinary, s.version AS Version
FROM orleans_storage s
WHERE s.grain_id_hash = @GrainIdHash AND s.grain_type_hash = @GrainTypeHash
  AND s.service_id = @ServiceId AND s.grain_type = @GrainTypeString
  AND s.grain_n0 = @GrainIdN0 AND s.grain_n1 = @GrainIdN1
  AND s.grain_ext IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- With a version: compare-and-swap. Without: insert only if the key is new. On failure the input version (or NULL)
-- comes back, which Orleans turns into InconsistentStateException.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleans_storage s
    SET payload = @PayloadBinary, version = s.version + 1, modified_at = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND s.grain_id_hash = @GrainIdHash AND s.grain_type_hash = @GrainTypeHash
      AND s.service_id = @ServiceId AND s.grain_type = @GrainTypeString
      AND s.grain_n0 = @GrainIdN0 AND s.grain_n1 = @GrainIdN1
      AND s.grain_ext IS NOT DISTINCT FROM @GrainIdExtensionString
      AND s.version = @GrainStateVersion
    RETURNING s.version),
inserted AS (
    INSERT INTO orleans_storage (service_id, grain_type, grain_n0, grain_n1, grain_ext, grain_id_hash, grain_type_hash, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @GrainIdHash, @GrainTypeHash, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleans_storage_natural_key DO NOTHING
    RETURNING version)
SELECT COALESCE((SELECT version FROM updated), (SELECT version FROM inserted), @GrainStateVersion) AS NewGrainStateVersion
$q$),

('ClearStorageKey', $q$
UPDATE orleans_storage s
SET payload = NULL, version = s.version + 1, modified_at = now()
WHERE s.grain_id_hash = @GrainIdHash AND s.grain_type_hash = @GrainTypeHash
  AND s.service_id = @ServiceId AND s.grain_type = @GrainTypeString
  AND s.grain_n0 = @GrainIdN0 AND s.grain_n1 = @GrainIdN1
  AND s.grain_ext IS NOT DISTINCT FROM @GrainIdExtensionString
  AND s.version = @GrainStateVersion
RETURNING s.version
$q$),

('DeleteStorageKey', $q$
DELETE FROM orleans_storage s
WHERE s.grain_id_hash = @GrainIdHash AND s.grain_type_hash = @GrainTypeHash
  AND s.service_id = @ServiceId AND s.grain_type = @GrainTypeString
  AND s.grain_n0 = @GrainIdN0 AND s.grain_n1 = @GrainIdN1
  AND s.grain_ext IS NOT DISTINCT FROM @GrainIdExtensionString
  AND s.version = @GrainStateVersion
RETURNING s.version + 1
$q$),

-- ---------------------------------------------------------------- clustering
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1)
SELECT count(*)::integer FROM created
$q$),

-- The version row is locked by the UPDATE, so concurrent joins serialise on it; the member row is added only when the
-- version matched, and the version moves only when the member is new.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version v
    SET version = v.version + 1, updated_at = now()
    WHERE v.deployment_id = @DeploymentId AND v.version = @Version
      AND NOT EXISTS (SELECT 1 FROM orleans_membership m
                      WHERE m.deployment_id = @DeploymentId AND m.address = @Address
                        AND m.port = @Port AND m.generation = @Generation)
    RETURNING v.deployment_id),
added AS (
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    SELECT b.deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped b
    RETURNING 1)
SELECT count(*)::integer FROM added
$q$),

('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version v
    SET version = v.version + 1, updated_at = now()
    WHERE v.deployment_id = @DeploymentId AND v.version = @Version
      AND EXISTS (SELECT 1 FROM orleans_membership m
                  WHERE m.deployment_id = @DeploymentId AND m.address = @Address
                    AND m.port = @Port AND m.generation = @Generation)
    RETURNING v.deployment_id),
changed AS (
    UPDATE orleans_membership m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM bumped b
    WHERE m.deployment_id = b.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1)
SELECT count(*)::integer FROM changed
$q$),

-- Heartbeats never move time backwards and never touch the table version.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership m
SET i_am_alive_time = GREATEST(m.i_am_alive_time, @IAmAliveTime)
WHERE m.deployment_id = @DeploymentId AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
$q$),

('MembershipReadRowKey', $q$
SELECT v.version AS Version, m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
       m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.deployment_id = v.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
SELECT v.version AS Version, m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
       m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

('GatewaysQueryKey', $q$
SELECT m.address AS Address, m.proxy_port AS ProxyPort, m.generation AS Generation
FROM orleans_membership m
WHERE m.deployment_id = @DeploymentId AND m.status = @Status AND m.proxy_port > 0
$q$),

('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId;
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Only dead silos, silent since before the cutoff and carrying no suspicion votes.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership m
WHERE m.deployment_id = @DeploymentId AND m.status = 6
  AND m.start_time < @IAmAliveTime AND m.i_am_alive_time < @IAmAliveTime
  AND COALESCE(m.suspect_times, '') = ''
$q$),

-- One candidate at a time, deleted only if nothing about it changed since Orleans read it.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership m
WHERE m.deployment_id = @DeploymentId AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
  AND m.status = 6 AND m.start_time = @StartTime AND m.i_am_alive_time = @IAmAliveTime
  AND COALESCE(m.suspect_times, '') = COALESCE(@SuspectTimes, '')
$q$),

-- ---------------------------------------------------------------- reminders
('ReadReminderRowsKey', $q$
SELECT r.grain_id AS GrainId, r.reminder_name AS ReminderName, r.start_time AS StartTime, r.period AS Period, r.version AS Version
FROM orleans_reminders r
WHERE r.service_id = @ServiceId AND r.grain_id = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT r.grain_id AS GrainId, r.reminder_name AS ReminderName, r.start_time AS StartTime, r.period AS Period, r.version AS Version
FROM orleans_reminders r
WHERE r.service_id = @ServiceId AND r.grain_id = @GrainId AND r.reminder_name = @ReminderName
$q$),

('ReadRangeRows1Key', $q$
SELECT r.grain_id AS GrainId, r.reminder_name AS ReminderName, r.start_time AS StartTime, r.period AS Period, r.version AS Version
FROM orleans_reminders r
WHERE r.service_id = @ServiceId AND r.grain_hash > @BeginHash AND r.grain_hash <= @EndHash
$q$),

('ReadRangeRows2Key', $q$
SELECT r.grain_id AS GrainId, r.reminder_name AS ReminderName, r.start_time AS StartTime, r.period AS Period, r.version AS Version
FROM orleans_reminders r
WHERE r.service_id = @ServiceId AND (r.grain_hash > @BeginHash OR r.grain_hash <= @EndHash)
$q$),

('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = EXCLUDED.start_time, period = EXCLUDED.period, grain_hash = EXCLUDED.grain_hash, version = r.version + 1
RETURNING r.version AS Version
$q$),

('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM orleans_reminders r
    WHERE r.service_id = @ServiceId AND r.grain_id = @GrainId AND r.reminder_name = @ReminderName AND r.version = @Version
    RETURNING 1)
SELECT count(*)::integer FROM removed
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$q$);
